/** IPMI 1.5 session: Get Session Challenge, Activate Session, MD5 or straight-password auth codes. */
import { randomBytes } from 'node:crypto';
import { md5AuthCode, safeEqual } from './crypto';
import { IpmiAuthenticationError, IpmiSessionError, IpmiTimeoutError } from './errors';
import type { Link, RetryPolicy } from './link';
import { decodeResponse } from './message';
import type { IpmiRequest, IpmiResponse } from './message';
import { AuthType, encodeV15 } from './rmcp';
import type { DecodedFrame } from './rmcp';
import {
  AppCmd,
  NetFn,
  ReplayWindow,
  requestSessionPrivilege,
  requireSuccess,
  RqSeq,
  sessionExchange,
  sessionlessRequest,
} from './session';
import type { Session } from './session';

export type V15AuthType = 'md5' | 'password';

export interface V15Credentials {
  /** User name zero-padded to 16 bytes. */
  readonly username16: Buffer;
  /** Password zero-padded to 16 bytes. */
  readonly password16: Buffer;
  readonly privilege: number;
  readonly authType: V15AuthType;
}

const ACTIVATE_ERRORS: Readonly<Record<number, string>> = {
  0x81: 'no session slot available',
  0x82: 'no slot available for given user',
  0x83: 'no slot available to support user due to maximum privilege capability',
  0x84: 'session sequence number out-of-range',
  0x85: 'invalid session ID in request',
  0x86: 'requested maximum privilege level exceeds user and/or channel privilege limit',
};

export class Ipmi15Session implements Session {
  readonly protocol = '1.5' as const;
  readonly #cred: V15Credentials;
  readonly #authType: number;
  readonly #target: string;
  readonly #rq = new RqSeq();
  #active = false;
  #sessionId = 0;
  #outSeq = 0;
  #perMessageAuth = true;
  #replay = new ReplayWindow();

  constructor(cred: V15Credentials, target: string) {
    this.#cred = cred;
    this.#authType = cred.authType === 'md5' ? AuthType.Md5 : AuthType.Password;
    this.#target = target;
  }

  get active(): boolean {
    return this.#active;
  }

  async establish(link: Link, policy: RetryPolicy): Promise<void> {
    const target = this.#target;
    this.#active = false;
    const caps = requireSuccess(
      await sessionlessRequest(
        link,
        {
          netFn: NetFn.App,
          command: AppCmd.GetChannelAuthCapabilities,
          data: Buffer.from([0x0e, this.#cred.privilege]),
        },
        this.#rq.next(),
        policy,
      ),
      target,
    );
    if (((caps.data[1] ?? 0) & (1 << this.#authType)) === 0) {
      throw new IpmiAuthenticationError(
        `BMC does not offer IPMI 1.5 ${this.#cred.authType} authentication at this privilege level`,
        { target },
      );
    }
    // Bit 4 of byte 2 set means per-message authentication is disabled.
    this.#perMessageAuth = ((caps.data[2] ?? 0) & 0x10) === 0;

    const challenge = await sessionlessRequest(
      link,
      {
        netFn: NetFn.App,
        command: AppCmd.GetSessionChallenge,
        data: Buffer.concat([Buffer.from([this.#authType]), this.#cred.username16]),
      },
      this.#rq.next(),
      policy,
    );
    if (challenge.completionCode === 0x81 || challenge.completionCode === 0x82) {
      throw new IpmiAuthenticationError('Get Session Challenge rejected: invalid user name', {
        target,
      });
    }
    requireSuccess(challenge, target);
    if (challenge.data.length < 20)
      throw new IpmiSessionError('short session challenge', { target });
    const tempId = challenge.data.readUInt32LE(0);
    const challengeString = challenge.data.subarray(4, 20);

    this.#sessionId = tempId;
    this.#outSeq = 0;
    const initialOutbound = randomBytes(4).readUInt32LE() || 1;
    let activated: IpmiResponse;
    try {
      activated = await sessionExchange(
        link,
        {
          netFn: NetFn.App,
          command: AppCmd.ActivateSession,
          data: Buffer.concat([
            Buffer.from([this.#authType, this.#cred.privilege]),
            challengeString,
            u32le(initialOutbound),
          ]),
        },
        this.#rq.next(),
        policy,
        (msg) => this.#wrap(msg, tempId, 0),
        (frame) => this.decode(frame, tempId, true),
      );
    } catch (err) {
      // A BMC silently drops an Activate Session whose auth code is wrong.
      if (err instanceof IpmiTimeoutError) {
        throw new IpmiAuthenticationError(
          'no response to Activate Session: wrong password or authentication type?',
          { target, cause: err },
        );
      }
      throw err;
    }
    const reason = ACTIVATE_ERRORS[activated.completionCode];
    if (reason) throw new IpmiSessionError(`Activate Session failed: ${reason}`, { target });
    requireSuccess(activated, target);
    if (activated.data.length < 10)
      throw new IpmiSessionError('short Activate Session response', { target });
    this.#sessionId = activated.data.readUInt32LE(1);
    this.#outSeq = activated.data.readUInt32LE(5);
    this.#replay = new ReplayWindow();
    this.#active = true;
    await requestSessionPrivilege(
      (req) => this.request(link, req, policy),
      this.#cred.privilege,
      target,
      () => (this.#active = false),
    );
  }

  #wrap(msg: Buffer, sessionId: number, seq: number): Buffer {
    const authCode =
      this.#authType === AuthType.Md5
        ? md5AuthCode(this.#cred.password16, sessionId, seq, msg)
        : this.#cred.password16;
    return encodeV15({
      authType: this.#authType,
      sessionSeq: seq,
      sessionId,
      authCode,
      payload: msg,
    });
  }

  request(link: Link, req: IpmiRequest, policy: RetryPolicy): Promise<IpmiResponse> {
    if (!this.#active) return Promise.reject(new IpmiSessionError('session is not active'));
    const sessionId = this.#sessionId;
    return sessionExchange(
      link,
      req,
      this.#rq.next(),
      policy,
      (msg) => {
        const seq = this.#outSeq;
        this.#outSeq = (this.#outSeq + 1) >>> 0 || 1;
        return this.#wrap(msg, sessionId, seq);
      },
      (frame) => this.decode(frame, sessionId, false),
    );
  }

  /** Verifies and decodes an in-session response; a string is a drop reason. */
  decode(
    frame: DecodedFrame,
    sessionId: number,
    activating: boolean,
  ): IpmiResponse | string | undefined {
    if (frame.kind !== 'v15' || frame.sessionId !== sessionId || sessionId === 0) return undefined;
    if (frame.authType === AuthType.None) {
      if (this.#perMessageAuth) return 'unauthenticated';
    } else {
      if (frame.authType !== this.#authType || !frame.authCode) return 'auth-type';
      const expected =
        this.#authType === AuthType.Md5
          ? md5AuthCode(this.#cred.password16, frame.sessionId, frame.sessionSeq, frame.payload)
          : this.#cred.password16;
      if (!safeEqual(expected, frame.authCode)) return 'integrity';
    }
    if (!activating && !this.#replay.accept(frame.sessionSeq)) return 'replay';
    return decodeResponse(frame.payload) ?? 'bad-message';
  }

  async close(link: Link, policy: RetryPolicy): Promise<void> {
    if (!this.#active) return;
    try {
      await this.request(
        link,
        { netFn: NetFn.App, command: AppCmd.CloseSession, data: u32le(this.#sessionId) },
        { timeoutMs: policy.timeoutMs, retries: 0 },
      );
    } catch {
      // Best effort.
    } finally {
      this.#active = false;
    }
  }
}

function u32le(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}
