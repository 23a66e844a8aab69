/** Behaviour shared by IPMI 1.5 and RMCP+ sessions. */
import { randomInt } from 'node:crypto';
import { IpmiCompletionCodeError } from './errors';
import type { Link, MatchResult, RetryPolicy } from './link';
import { decodeResponse, encodeRequest } from './message';
import type { IpmiRequest, IpmiResponse } from './message';
import { AuthType, encodeV15 } from './rmcp';
import type { DecodedFrame } from './rmcp';

export const NetFn = { Chassis: 0x00, App: 0x06 } as const;

export const AppCmd = {
  GetDeviceId: 0x01,
  ColdReset: 0x02,
  WarmReset: 0x03,
  GetChannelAuthCapabilities: 0x38,
  GetSessionChallenge: 0x39,
  ActivateSession: 0x3a,
  SetSessionPrivilegeLevel: 0x3b,
  CloseSession: 0x3c,
} as const;

export interface Session {
  readonly protocol: '2.0' | '1.5';
  readonly active: boolean;
  /** Performs the handshake. Throws typed errors; leaves the session inactive on failure. */
  establish(link: Link, policy: RetryPolicy): Promise<void>;
  /** Sends a request inside the session; resolves with any completion code. */
  request(link: Link, req: IpmiRequest, policy: RetryPolicy): Promise<IpmiResponse>;
  /** Best-effort Close Session; marks the session inactive. */
  close(link: Link, policy: RetryPolicy): Promise<void>;
}

/** Rolling 6-bit requester sequence number. */
export class RqSeq {
  // Random start so concurrent handshakes to one address do not collide on pre-session replies.
  #n = randomInt(0, 64);
  next(): number {
    this.#n = (this.#n + 1) & 0x3f;
    return this.#n;
  }
}

export function matchesRequest(resp: IpmiResponse, req: IpmiRequest, rqSeq: number): boolean {
  return resp.rqSeq === rqSeq && resp.command === req.command && resp.netFn === req.netFn + 1;
}

/** Sends a pre-session request (IPMI 1.5 framing, auth type none, session id 0). */
export function sessionlessRequest(
  link: Link,
  req: IpmiRequest,
  rqSeq: number,
  policy: RetryPolicy,
): Promise<IpmiResponse> {
  const msg = encodeRequest(req, rqSeq);
  const datagram = encodeV15({
    authType: AuthType.None,
    sessionSeq: 0,
    sessionId: 0,
    payload: msg,
  });
  return link.exchange(
    () => datagram,
    (frame): MatchResult<IpmiResponse> => {
      if (frame.kind !== 'v15' || frame.sessionId !== 0) return undefined;
      const resp = decodeResponse(frame.payload);
      if (!resp || !matchesRequest(resp, req, rqSeq)) return undefined;
      return { value: resp };
    },
    policy,
    `command 0x${req.command.toString(16)}`,
  );
}

export function requireSuccess(resp: IpmiResponse, target: string): IpmiResponse {
  if (resp.completionCode !== 0) {
    throw new IpmiCompletionCodeError(resp.completionCode, resp.netFn - 1, resp.command, {
      target,
    });
  }
  return resp;
}

/**
 * The last step of activating any session: ask for the credentials' privilege level. Until it
 * succeeds the session is not usable, so a failure leaves it marked inactive.
 */
export async function requestSessionPrivilege(
  send: (req: IpmiRequest) => Promise<IpmiResponse>,
  privilege: number,
  target: string,
  deactivate: () => void,
): Promise<void> {
  try {
    requireSuccess(
      await send({
        netFn: NetFn.App,
        command: AppCmd.SetSessionPrivilegeLevel,
        data: Buffer.from([privilege]),
      }),
      target,
    );
  } catch (err) {
    deactivate();
    throw err;
  }
}

/**
 * Anti-replay check for inbound session sequence numbers: accepts numbers ahead of the highest
 * seen and unseen numbers up to 32 behind.
 */
export class ReplayWindow {
  #highest = 0;
  #seen = 0; // bit i set => highest - i already seen

  accept(seq: number): boolean {
    if (seq === 0) return false;
    if (this.#highest === 0 || seq > this.#highest) {
      const shift = this.#highest === 0 ? 32 : seq - this.#highest;
      this.#seen = shift >= 32 ? 1 : ((this.#seen << shift) | 1) >>> 0;
      this.#highest = seq;
      return true;
    }
    const behind = this.#highest - seq;
    if (behind >= 32) return false;
    const bit = (1 << behind) >>> 0;
    if (this.#seen & bit) return false;
    this.#seen = (this.#seen | bit) >>> 0;
    return true;
  }
}

export type FrameDecoder = (frame: DecodedFrame) => IpmiResponse | string | undefined;

/** Exchanges an in-session request: same rqSeq on every attempt, fresh session sequence numbers. */
export function sessionExchange(
  link: Link,
  req: IpmiRequest,
  rqSeq: number,
  policy: RetryPolicy,
  build: (msg: Buffer) => Buffer,
  decode: FrameDecoder,
): Promise<IpmiResponse> {
  const msg = encodeRequest(req, rqSeq);
  return link.exchange(
    () => build(msg),
    (frame): MatchResult<IpmiResponse> => {
      const r = decode(frame);
      if (r === undefined || typeof r === 'string') return r;
      if (!matchesRequest(r, req, rqSeq)) return 'stale-response';
      return { value: r };
    },
    policy,
    `netfn 0x${req.netFn.toString(16)} command 0x${req.command.toString(16)}`,
  );
}
