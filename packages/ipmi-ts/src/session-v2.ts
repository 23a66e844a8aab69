/** IPMI 2.0 RMCP+ session: Open Session, RAKP 1–4, then integrity-protected, encrypted messages. */
import { randomBytes, randomInt } from 'node:crypto';
import {
  aesDecrypt,
  aesEncrypt,
  deriveSessionKeys,
  deriveSik,
  packetAuthCode,
  rakp2AuthCode,
  rakp3AuthCode,
  rakp4Icv,
  randomConsoleSessionId,
  safeEqual,
} from './crypto';
import type { CipherSuite, RakpParams, SessionKeys } from './crypto';
import {
  IpmiAuthenticationError,
  IpmiProtocolError,
  IpmiSessionError,
  IpmiUnsupportedCipherError,
  rmcpPlusStatusMeaning,
} from './errors';
import type { Link, RetryPolicy } from './link';
import { decodeResponse } from './message';
import type { IpmiRequest, IpmiResponse } from './message';
import {
  decodeOpenSessionResponse,
  decodeRakp2,
  decodeRakp4,
  encodeOpenSessionRequest,
  encodeRakp1,
  encodeRakp3,
  NAME_ONLY_LOOKUP,
} from './rakp';
import type { OpenSessionResponse, Rakp2, Rakp4 } from './rakp';
import { encodeV20, PayloadType, splitIntegrityTrailer } from './rmcp';
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

export interface V2Credentials {
  readonly username: Buffer;
  /** Kuid: password as an HMAC key. */
  readonly kuid: Buffer;
  /** Kg: BMC key; defaults to Kuid. */
  readonly kg: Buffer | undefined;
  readonly privilege: number;
  readonly cipherSuite: CipherSuite;
}

const CIPHER_STATUS = new Set([0x04, 0x05, 0x06, 0x07, 0x10, 0x11]);
const AUTH_STATUS = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x0e, 0x0f]);

export class RmcpPlusSession implements Session {
  readonly protocol = '2.0' as const;
  readonly #cred: V2Credentials;
  readonly #target: string;
  readonly #rq = new RqSeq();
  #active = false;
  #consoleId = 0;
  #bmcId = 0;
  #keys: SessionKeys | undefined;
  #seq = 0;
  #replay = new ReplayWindow();

  constructor(cred: V2Credentials, target: string) {
    this.#cred = cred;
    this.#target = target;
  }

  get active(): boolean {
    return this.#active;
  }

  async establish(link: Link, policy: RetryPolicy): Promise<void> {
    const cs = this.#cred.cipherSuite;
    const target = this.#target;
    this.#active = false;

    const caps = requireSuccess(
      await sessionlessRequest(
        link,
        {
          netFn: NetFn.App,
          command: AppCmd.GetChannelAuthCapabilities,
          data: Buffer.from([0x8e, this.#cred.privilege]),
        },
        this.#rq.next(),
        policy,
      ),
      target,
    );
    const extended = ((caps.data[1] ?? 0) & 0x80) !== 0;
    if (!extended || ((caps.data[3] ?? 0) & 0x02) === 0) {
      throw new IpmiSessionError('BMC does not support IPMI 2.0 / RMCP+ on this channel', {
        target,
      });
    }

    const tag = randomInt(0, 256);
    const consoleId = randomConsoleSessionId();
    const open = await link.exchange<OpenSessionResponse>(
      () =>
        encodeV20(
          {
            payloadType: PayloadType.OpenSessionRequest,
            encrypted: false,
            sessionId: 0,
            sessionSeq: 0,
          },
          encodeOpenSessionRequest(tag, consoleId, cs, this.#cred.privilege),
        ),
      (f) => {
        if (f.kind !== 'v20' || f.payloadType !== PayloadType.OpenSessionResponse) return undefined;
        const r = decodeOpenSessionResponse(f.payload);
        if (!r || r.consoleSessionId !== consoleId || r.tag !== tag) return undefined;
        return { value: r };
      },
      policy,
      'RMCP+ Open Session Request',
    );
    if (open.status !== 0) {
      const text = `RMCP+ Open Session rejected: ${rmcpPlusStatusMeaning(open.status)}`;
      if (CIPHER_STATUS.has(open.status)) {
        throw new IpmiUnsupportedCipherError(`${text} (cipher suite ${cs.id})`, cs.id, { target });
      }
      if (AUTH_STATUS.has(open.status)) throw new IpmiAuthenticationError(text, { target });
      throw new IpmiSessionError(text, { target, statusCode: open.status });
    }
    if (
      open.auth !== cs.auth ||
      open.integrity !== cs.integrity ||
      open.confidentiality !== cs.confidentiality
    ) {
      throw new IpmiUnsupportedCipherError(
        `BMC selected different algorithms than cipher suite ${cs.id}`,
        cs.id,
        { target },
      );
    }
    if (open.bmcSessionId === 0)
      throw new IpmiProtocolError('BMC returned session id 0', { target });

    const role = this.#cred.privilege | NAME_ONLY_LOOKUP;
    const consoleRandom = randomBytes(16);
    const rakp2 = await link.exchange<Rakp2>(
      () =>
        encodeV20(
          { payloadType: PayloadType.Rakp1, encrypted: false, sessionId: 0, sessionSeq: 0 },
          encodeRakp1(tag, open.bmcSessionId, consoleRandom, role, this.#cred.username),
        ),
      (f) => {
        if (f.kind !== 'v20' || f.payloadType !== PayloadType.Rakp2) return undefined;
        const r = decodeRakp2(f.payload, cs.rakpCodeLength);
        if (!r || r.consoleSessionId !== consoleId || r.tag !== tag) return undefined;
        return { value: r };
      },
      policy,
      'RAKP Message 1',
    );
    if (rakp2.status !== 0) {
      throw new IpmiAuthenticationError(`RAKP 2 failed: ${rmcpPlusStatusMeaning(rakp2.status)}`, {
        target,
      });
    }
    const params: RakpParams = {
      consoleSessionId: consoleId,
      bmcSessionId: open.bmcSessionId,
      consoleRandom,
      bmcRandom: Buffer.from(rakp2.bmcRandom),
      bmcGuid: Buffer.from(rakp2.bmcGuid),
      role,
      username: this.#cred.username,
    };
    const hash = cs.authHash;
    if (hash) {
      const expected = rakp2AuthCode(hash, this.#cred.kuid, params);
      if (!safeEqual(expected, rakp2.authCode)) {
        throw new IpmiAuthenticationError(
          'RAKP 2 key exchange auth code mismatch: wrong user name or password',
          { target },
        );
      }
    }
    const keys = hash
      ? deriveSessionKeys(hash, deriveSik(hash, this.#cred.kg ?? this.#cred.kuid, params))
      : undefined;

    const rakp3Code = hash ? rakp3AuthCode(hash, this.#cred.kuid, params) : Buffer.alloc(0);
    const rakp4 = await link.exchange<Rakp4>(
      () =>
        encodeV20(
          { payloadType: PayloadType.Rakp3, encrypted: false, sessionId: 0, sessionSeq: 0 },
          encodeRakp3(tag, 0, open.bmcSessionId, rakp3Code),
        ),
      (f) => {
        if (f.kind !== 'v20' || f.payloadType !== PayloadType.Rakp4) return undefined;
        const r = decodeRakp4(f.payload, cs.rakp4CodeLength);
        if (!r || r.consoleSessionId !== consoleId || r.tag !== tag) return undefined;
        return { value: r };
      },
      policy,
      'RAKP Message 3',
    );
    if (rakp4.status !== 0) {
      throw new IpmiAuthenticationError(`RAKP 4 failed: ${rmcpPlusStatusMeaning(rakp4.status)}`, {
        target,
      });
    }
    if (keys && !safeEqual(rakp4Icv(cs, keys.sik, params), rakp4.icv)) {
      throw new IpmiAuthenticationError(
        'RAKP 4 integrity check value mismatch: wrong BMC key (Kg)?',
        { target },
      );
    }

    this.#consoleId = consoleId;
    this.#bmcId = open.bmcSessionId;
    this.#keys = keys;
    this.#seq = 0;
    this.#replay = new ReplayWindow();
    this.#active = true;
    await requestSessionPrivilege(
      (req) => this.request(link, req, policy),
      this.#cred.privilege,
      target,
      () => (this.#active = false),
    );
  }

  request(link: Link, req: IpmiRequest, policy: RetryPolicy): Promise<IpmiResponse> {
    if (!this.#active) return Promise.reject(new IpmiSessionError('session is not active'));
    return sessionExchange(
      link,
      req,
      this.#rq.next(),
      policy,
      (msg) => this.encode(msg),
      (frame) => this.decode(frame),
    );
  }

  /** Wraps an encoded IPMI message into an RMCP+ datagram with the next session sequence number. */
  encode(msg: Buffer): Buffer {
    const cs = this.#cred.cipherSuite;
    const keys = this.#keys;
    this.#seq = (this.#seq + 1) >>> 0 || 1;
    const encrypt = cs.confidentiality !== 0 && keys !== undefined;
    const payload = encrypt ? aesEncrypt(keys.k2, msg) : msg;
    const integrity =
      cs.integrity !== 0 && keys
        ? {
            authCodeLength: cs.integrityLength,
            sign: (d: Buffer) => packetAuthCode(cs, keys.k1, d),
          }
        : undefined;
    return encodeV20(
      {
        payloadType: PayloadType.Ipmi,
        encrypted: encrypt,
        sessionId: this.#bmcId,
        sessionSeq: this.#seq,
      },
      payload,
      integrity,
    );
  }

  /** Verifies, decrypts and decodes an in-session response; a string is a drop reason. */
  decode(frame: DecodedFrame): IpmiResponse | string | undefined {
    if (frame.kind !== 'v20' || frame.payloadType !== PayloadType.Ipmi) return undefined;
    if (!this.#active || frame.sessionId !== this.#consoleId) return undefined;
    const cs = this.#cred.cipherSuite;
    const keys = this.#keys;
    if (cs.integrity !== 0 && keys) {
      if (!frame.authenticated) return 'unauthenticated';
      const parts = splitIntegrityTrailer(frame, cs.integrityLength);
      if (!parts) return 'bad-trailer';
      if (!safeEqual(packetAuthCode(cs, keys.k1, parts.signed), parts.authCode)) return 'integrity';
    }
    let payload = frame.payload;
    if (cs.confidentiality !== 0 && keys) {
      if (!frame.encrypted) return 'unencrypted';
      const plain = aesDecrypt(keys.k2, payload);
      if (!plain) return 'decrypt';
      payload = plain;
    }
    if (!this.#replay.accept(frame.sessionSeq)) return 'replay';
    return decodeResponse(payload) ?? 'bad-message';
  }

  async close(link: Link, policy: RetryPolicy): Promise<void> {
    if (!this.#active) return;
    const id = Buffer.alloc(4);
    id.writeUInt32LE(this.#bmcId);
    try {
      await this.request(
        link,
        { netFn: NetFn.App, command: AppCmd.CloseSession, data: id },
        { timeoutMs: policy.timeoutMs, retries: 0 },
      );
    } catch {
      // Best effort: the BMC may already have forgotten the session.
    } finally {
      this.#active = false;
      this.#keys = undefined;
    }
  }
}
