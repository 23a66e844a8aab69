/** Base class of every error thrown by ipmi-ts. Messages never contain secrets. */
export class IpmiError extends Error {
  override readonly name: string = 'IpmiError';
  /** `host:port` of the BMC the error relates to, when known. */
  readonly target: string | undefined;

  constructor(message: string, options?: { target?: string; cause?: unknown }) {
    super(options?.target ? `${message} (${options.target})` : message, {
      cause: options?.cause,
    });
    this.target = options?.target;
  }
}

/** No valid response arrived within the per-attempt timeout after all retries. */
export class IpmiTimeoutError extends IpmiError {
  override readonly name = 'IpmiTimeoutError';
  readonly attempts: number;
  constructor(message: string, attempts: number, options?: { target?: string }) {
    super(message, options);
    this.attempts = attempts;
  }
}

/** Wrong user name / password / Kg, RAKP or Activate Session failure. */
export class IpmiAuthenticationError extends IpmiError {
  override readonly name = 'IpmiAuthenticationError';
}

/** The requested cipher suite is not implemented, refused by policy, or not offered by the BMC. */
export class IpmiUnsupportedCipherError extends IpmiError {
  override readonly name = 'IpmiUnsupportedCipherError';
  readonly cipherSuite: number;
  constructor(message: string, cipherSuite: number, options?: { target?: string }) {
    super(message, options);
    this.cipherSuite = cipherSuite;
  }
}

/** The BMC answered with a non-zero completion code. */
export class IpmiCompletionCodeError extends IpmiError {
  override readonly name = 'IpmiCompletionCodeError';
  readonly code: number;
  readonly meaning: string;
  readonly netFn: number;
  readonly command: number;
  constructor(code: number, netFn: number, command: number, options?: { target?: string }) {
    const meaning = completionCodeMeaning(code);
    super(
      `IPMI command netfn=0x${hex(netFn)} cmd=0x${hex(command)} failed: 0x${hex(code)} ${meaning}`,
      options,
    );
    this.code = code;
    this.meaning = meaning;
    this.netFn = netFn;
    this.command = command;
  }
}

/** Session could not be established or was lost (status codes from RMCP+ open session / RAKP). */
export class IpmiSessionError extends IpmiError {
  override readonly name = 'IpmiSessionError';
  readonly statusCode: number | undefined;
  constructor(
    message: string,
    options?: { target?: string; statusCode?: number; cause?: unknown },
  ) {
    super(message, options);
    this.statusCode = options?.statusCode;
  }
}

/** The peer sent something that violates the protocol, or the caller passed invalid arguments. */
export class IpmiProtocolError extends IpmiError {
  override readonly name = 'IpmiProtocolError';
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

const COMPLETION_CODES: Readonly<Record<number, string>> = {
  0x00: 'Command completed normally',
  0xc0: 'Node busy',
  0xc1: 'Invalid command',
  0xc2: 'Command invalid for given LUN',
  0xc3: 'Timeout while processing command',
  0xc4: 'Out of space',
  0xc5: 'Reservation canceled or invalid reservation ID',
  0xc6: 'Request data truncated',
  0xc7: 'Request data length invalid',
  0xc8: 'Request data field length limit exceeded',
  0xc9: 'Parameter out of range',
  0xca: 'Cannot return number of requested data bytes',
  0xcb: 'Requested sensor, data, or record not present',
  0xcc: 'Invalid data field in request',
  0xcd: 'Command illegal for specified sensor or record type',
  0xce: 'Command response could not be provided',
  0xcf: 'Cannot execute duplicated request',
  0xd0: 'Command response could not be provided: SDR repository in update mode',
  0xd1: 'Command response could not be provided: device in firmware update mode',
  0xd2: 'Command response could not be provided: BMC initialization or initialization agent in progress',
  0xd3: 'Destination unavailable',
  0xd4: 'Cannot execute command: insufficient privilege level or other security-based restriction',
  0xd5: 'Cannot execute command: command, or request parameter(s), not supported in present state',
  0xd6: 'Cannot execute command: parameter is illegal because sub-function is disabled or unavailable',
  0xff: 'Unspecified error',
};

/** Human-readable meaning of an IPMI completion code (IPMI 2.0 spec table 5-2). */
export function completionCodeMeaning(code: number): string {
  const known = COMPLETION_CODES[code];
  if (known) return known;
  if (code >= 0x01 && code <= 0x7e) return 'Device-specific (OEM) completion code';
  if (code >= 0x80 && code <= 0xbe) return 'Command-specific completion code';
  return 'Reserved completion code';
}

const RMCP_PLUS_STATUS: Readonly<Record<number, string>> = {
  0x00: 'No errors',
  0x01: 'Insufficient resources to create a session',
  0x02: 'Invalid session ID',
  0x03: 'Invalid payload type',
  0x04: 'Invalid authentication algorithm',
  0x05: 'Invalid integrity algorithm',
  0x06: 'No matching authentication payload',
  0x07: 'No matching integrity payload',
  0x08: 'Inactive session ID',
  0x09: 'Invalid role',
  0x0a: 'Unauthorized role or privilege level requested',
  0x0b: 'Insufficient resources to create a session at the requested role',
  0x0c: 'Invalid name length',
  0x0d: 'Unauthorized name',
  0x0e: 'Unauthorized GUID',
  0x0f: 'Invalid integrity check value',
  0x10: 'Invalid confidentiality algorithm',
  0x11: 'No cipher suite match with proposed security algorithms',
  0x12: 'Illegal or unrecognized parameter',
};

/** Meaning of an RMCP+ / RAKP message status code (IPMI 2.0 spec table 13-15). */
export function rmcpPlusStatusMeaning(code: number): string {
  return RMCP_PLUS_STATUS[code] ?? `Reserved status code 0x${hex(code)}`;
}
