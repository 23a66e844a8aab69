/**
 * Errors thrown by redfish-ts. Messages are built from the method, the path, the HTTP status and
 * what the BMC said; credentials and session tokens are never put in them, and anything taken from
 * a BMC answer passes through the client's redactor first (a BMC may echo what it was sent).
 */

/** One entry of a Redfish `@Message.ExtendedInfo` array (Message schema). */
export interface RedfishMessage {
  readonly MessageId?: string;
  readonly Message?: string;
  readonly MessageArgs?: readonly string[];
  readonly Severity?: string;
  readonly MessageSeverity?: string;
  readonly Resolution?: string;
  readonly RelatedProperties?: readonly string[];
}

export interface RedfishErrorOptions {
  /** `scheme://host:port` of the BMC. */
  readonly target?: string;
  readonly method?: string;
  readonly path?: string;
  readonly status?: number;
  /** Redfish `error.code`, e.g. `Base.1.8.GeneralError`. */
  readonly code?: string;
  readonly messages?: readonly RedfishMessage[];
  readonly cause?: unknown;
}

/** Base class of every error redfish-ts throws; for HTTP error answers `status` is set. */
export class RedfishError extends Error {
  override readonly name: string = 'RedfishError';
  readonly target: string | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  /** HTTP status of the BMC's answer, when there was one. */
  readonly status: number | undefined;
  /** The Redfish `error.code` of the answer, when the BMC sent one. */
  readonly code: string | undefined;
  /** The BMC's `@Message.ExtendedInfo` messages (empty when it sent none). */
  readonly messages: readonly RedfishMessage[];

  constructor(message: string, options: RedfishErrorOptions = {}) {
    const where = [options.method, options.path].filter(Boolean).join(' ');
    const context = [where, options.target].filter(Boolean).join(' at ');
    super(context ? `${message} (${context})` : message, { cause: options.cause });
    this.target = options.target;
    this.method = options.method;
    this.path = options.path;
    this.status = options.status;
    this.code = options.code;
    this.messages = options.messages ?? [];
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      target: this.target,
      method: this.method,
      path: this.path,
      status: this.status,
      code: this.code,
      messages: this.messages,
    };
  }
}

/** 401/403 answers, a failed session login, or a session that could not be re-established. */
export class RedfishAuthError extends RedfishError {
  override readonly name: string = 'RedfishAuthError';
}

/**
 * The connection failed. `requestMayHaveBeenSent` says whether the BMC may have received the
 * request: false only when no connection was ever established for it.
 */
export class RedfishConnectionError extends RedfishError {
  override readonly name: string = 'RedfishConnectionError';
  /** Node's error code (`ECONNREFUSED`, `ECONNRESET`, ...), when there is one. */
  readonly errno: string | undefined;
  readonly requestMayHaveBeenSent: boolean;

  constructor(
    message: string,
    options: RedfishErrorOptions & { errno?: string; requestMayHaveBeenSent: boolean },
  ) {
    super(message, options);
    this.errno = options.errno;
    this.requestMayHaveBeenSent = options.requestMayHaveBeenSent;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      errno: this.errno,
      requestMayHaveBeenSent: this.requestMayHaveBeenSent,
    };
  }
}

/** The TLS handshake failed: untrusted or mismatched certificate, protocol error, bad CA file. */
export class RedfishTlsError extends RedfishConnectionError {
  override readonly name: string = 'RedfishTlsError';
}

/** No complete answer within the per-request timeout (or a task monitor's overall timeout). */
export class RedfishTimeout extends RedfishError {
  override readonly name: string = 'RedfishTimeout';
  readonly timeoutMs: number;
  readonly requestMayHaveBeenSent: boolean;

  constructor(
    message: string,
    options: RedfishErrorOptions & { timeoutMs: number; requestMayHaveBeenSent: boolean },
  ) {
    super(message, options);
    this.timeoutMs = options.timeoutMs;
    this.requestMayHaveBeenSent = options.requestMayHaveBeenSent;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      timeoutMs: this.timeoutMs,
      requestMayHaveBeenSent: this.requestMayHaveBeenSent,
    };
  }
}

/** A long-running operation's task ended in `Exception`, `Killed` or `Cancelled`, or failed. */
export class RedfishTaskError extends RedfishError {
  override readonly name: string = 'RedfishTaskError';
  readonly taskState: string | undefined;
  readonly taskStatus: string | undefined;

  constructor(
    message: string,
    options: RedfishErrorOptions & { taskState?: string; taskStatus?: string },
  ) {
    super(message, options);
    this.taskState = options.taskState;
    this.taskStatus = options.taskStatus;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), taskState: this.taskState, taskStatus: this.taskStatus };
  }
}

/** The BMC does not offer what was asked (no such action, a ResetType it does not allow, ...). */
export class RedfishUnsupportedError extends RedfishError {
  override readonly name: string = 'RedfishUnsupportedError';
}

/** The BMC's answer is not what Redfish prescribes (not JSON, missing header, foreign link...). */
export class RedfishProtocolError extends RedfishError {
  override readonly name: string = 'RedfishProtocolError';
}

const REDACTED = '***';
const SECRET_PROPERTY = /pass(word|phrase)?|secret|token|credential/i;

/**
 * Replaces known secrets in text taken from BMC answers. Secrets are registered by the auth
 * layer (password, session token) and by callers passing credentials in request bodies.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  add(secret: string | undefined): void {
    // Very short strings would redact ordinary words; such secrets are not worth hiding anyway.
    if (secret && secret.length >= 3) this.#secrets.add(secret);
  }

  /**
   * Registers the secrets a request body carries: string values of properties named like a
   * password, secret or token (InsertMedia `Password`, session `Password`, ...) and every
   * value under `HttpHeaders` (event subscription headers usually carry a receiver's secret).
   */
  addFromBody(body: unknown, underHttpHeaders = false): void {
    if (typeof body !== 'object' || body === null) return;
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      const inHeaders = underHttpHeaders || key === 'HttpHeaders';
      if (typeof value === 'string') {
        if (inHeaders || SECRET_PROPERTY.test(key)) this.add(value);
      } else {
        this.addFromBody(value, inHeaders);
      }
    }
  }

  delete(secret: string | undefined): void {
    if (secret) this.#secrets.delete(secret);
  }

  text(value: string): string {
    let out = value;
    for (const secret of this.#secrets) out = out.split(secret).join(REDACTED);
    return out;
  }

  messages(messages: readonly RedfishMessage[]): RedfishMessage[] {
    return messages.map((m) => JSON.parse(this.text(JSON.stringify(m))) as RedfishMessage);
  }

  toJSON(): string {
    return `Redactor(${this.#secrets.size} secrets)`;
  }
}

interface RedfishErrorBody {
  readonly error?: {
    readonly code?: unknown;
    readonly message?: unknown;
    readonly '@Message.ExtendedInfo'?: unknown;
  };
  readonly '@Message.ExtendedInfo'?: unknown;
}

/** Reads `error.code`, `error.message` and the extended info from a Redfish error body. */
export function parseErrorBody(body: unknown): {
  code: string | undefined;
  message: string | undefined;
  messages: RedfishMessage[];
} {
  if (typeof body !== 'object' || body === null) {
    return { code: undefined, message: undefined, messages: [] };
  }
  const b = body as RedfishErrorBody;
  const info = b.error?.['@Message.ExtendedInfo'] ?? b['@Message.ExtendedInfo'];
  const messages = Array.isArray(info)
    ? info.filter((m): m is RedfishMessage => typeof m === 'object' && m !== null)
    : [];
  return {
    code: typeof b.error?.code === 'string' ? b.error.code : undefined,
    message: typeof b.error?.message === 'string' ? b.error.message : undefined,
    messages,
  };
}

/** A one-line summary of the BMC's messages for error texts. */
export function summarizeMessages(messages: readonly RedfishMessage[]): string {
  return messages
    .map((m) => m.Message ?? m.MessageId)
    .filter((m): m is string => typeof m === 'string' && m.length > 0)
    .join('; ');
}
