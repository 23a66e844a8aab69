/** IPMI LAN message layer (IPMI 2.0 spec section 13.8): addresses, LUNs, sequence and checksums. */

/** BMC responder address. */
export const BMC_SLAVE_ADDRESS = 0x20;
/** Software ID used by remote consoles as requester address. */
export const REMOTE_CONSOLE_SWID = 0x81;

export interface IpmiRequest {
  readonly netFn: number;
  readonly command: number;
  readonly data: Uint8Array;
}

export interface IpmiResponse {
  /** Response netFn (odd, request netFn + 1). */
  readonly netFn: number;
  readonly command: number;
  readonly rqSeq: number;
  readonly completionCode: number;
  readonly data: Buffer;
}

/** Two's-complement checksum: the byte that makes the 8-bit sum of `bytes` plus itself zero. */
export function checksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum = (sum + (bytes[i] ?? 0)) & 0xff;
  return -sum & 0xff;
}

export function encodeRequest(req: IpmiRequest, rqSeq: number): Buffer {
  if (req.netFn < 0 || req.netFn > 0x3f || (req.netFn & 1) === 1) {
    throw new RangeError(`netFn must be an even request netFn in 0..0x3e, got ${req.netFn}`);
  }
  if (req.command < 0 || req.command > 0xff) throw new RangeError('command must be 0..255');
  const buf = Buffer.alloc(7 + req.data.length);
  buf[0] = BMC_SLAVE_ADDRESS;
  buf[1] = (req.netFn << 2) | 0; // rsLUN 0
  buf[2] = checksum(buf, 0, 2);
  buf[3] = REMOTE_CONSOLE_SWID;
  buf[4] = ((rqSeq & 0x3f) << 2) | 0; // rqLUN 0
  buf[5] = req.command;
  buf.set(req.data, 6);
  buf[buf.length - 1] = checksum(buf, 3, buf.length - 1);
  return buf;
}

/** Decodes a response message; returns undefined when it is malformed or has a bad checksum. */
export function decodeResponse(buf: Buffer): IpmiResponse | undefined {
  if (buf.length < 8) return undefined;
  if (checksum(buf, 0, 2) !== buf[2]) return undefined;
  if (checksum(buf, 3, buf.length - 1) !== buf[buf.length - 1]) return undefined;
  const netFn = (buf[1] ?? 0) >> 2;
  if ((netFn & 1) === 0) return undefined;
  return {
    netFn,
    rqSeq: (buf[4] ?? 0) >> 2,
    command: buf[5] ?? 0,
    completionCode: buf[6] ?? 0,
    data: buf.subarray(7, buf.length - 1),
  };
}
