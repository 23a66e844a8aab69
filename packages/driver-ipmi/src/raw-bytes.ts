import { InvalidParameterValue } from '@galvanic/driver-sdk';

export interface RawRequest {
  readonly netFn: number;
  readonly command: number;
  readonly data: readonly number[];
}

/** Longest request data a LAN message carries comfortably. */
const MAX_DATA_BYTES = 250;

/** Parses send_raw's `raw_bytes`, e.g. "0x06 0x01": network function, command, then data bytes. */
export function parseRawBytes(value: unknown): RawRequest {
  if (typeof value !== 'string') {
    throw new InvalidParameterValue(
      `Parameter 'raw_bytes' must be a string of bytes such as '0x06 0x01', got ${JSON.stringify(value)}.`,
    );
  }
  const tokens = value.trim().split(/\s+/).filter(Boolean);
  const bytes = tokens.map((token) => {
    const byte = /^0x[0-9a-f]{1,2}$/i.test(token)
      ? Number.parseInt(token.slice(2), 16)
      : /^\d{1,3}$/.test(token)
        ? Number.parseInt(token, 10)
        : Number.NaN;
    if (!(byte >= 0 && byte <= 0xff)) {
      throw new InvalidParameterValue(
        `Parameter 'raw_bytes' has ${JSON.stringify(token)}, which is not a byte: write each byte as 0x00 to 0xff or 0 to 255.`,
      );
    }
    return byte;
  });
  const [netFn, command, ...data] = bytes;
  if (netFn === undefined || command === undefined) {
    throw new InvalidParameterValue(
      "Parameter 'raw_bytes' needs at least a network function and a command, e.g. '0x06 0x01'.",
    );
  }
  if (netFn > 0x3e || netFn % 2 !== 0) {
    throw new InvalidParameterValue(
      `Parameter 'raw_bytes' starts with network function ${tokens[0]}: a request's network function is even, 0x00 to 0x3e.`,
    );
  }
  if (data.length > MAX_DATA_BYTES) {
    throw new InvalidParameterValue(
      `Parameter 'raw_bytes' carries ${data.length} data bytes; at most ${MAX_DATA_BYTES} are sent.`,
    );
  }
  return { netFn, command, data };
}

export function hexBytes(bytes: Iterable<number>): string {
  return [...bytes].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
}
