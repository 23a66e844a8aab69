/** One BMC handle: serialized commands over a reusable, self-healing session. */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { inspect } from 'node:util';
import {
  bootFlagsData,
  BOOT_PARAM_BOOT_FLAGS,
  BOOT_PARAM_SET_IN_PROGRESS,
  chassisControlRequest,
  coldResetRequest,
  getBootFlagsRequest,
  getChassisStatusRequest,
  getDeviceIdRequest,
  parseBootFlags,
  parseChassisStatus,
  parseDeviceId,
  setBootOptionRequest,
  warmResetRequest,
} from './commands';
import type {
  BootDeviceInfo,
  BootDeviceSetting,
  ChassisControlAction,
  ChassisStatus,
  DeviceId,
} from './commands';
import { CIPHER_SUITES, paddedKey } from './crypto';
import {
  IpmiCompletionCodeError,
  IpmiProtocolError,
  IpmiSessionError,
  IpmiTimeoutError,
  IpmiUnsupportedCipherError,
} from './errors';
import { Link } from './link';
import type { RetryPolicy } from './link';
import type { IpmiResponse } from './message';
import { Privilege } from './rakp';
import type { PrivilegeLevel } from './rakp';
import { requireSuccess } from './session';
import type { Session } from './session';
import { Ipmi15Session } from './session-v15';
import type { V15AuthType } from './session-v15';
import { RmcpPlusSession } from './session-v2';
import type { IpmiLogger, IpmiStats } from './stats';
import type { SocketPool } from './transport';

export interface BmcOptions {
  readonly host: string;
  /** UDP port, default 623. */
  readonly port?: number;
  readonly username: string;
  /** Up to 20 bytes for IPMI 2.0, 16 for IPMI 1.5. Never logged or included in errors. */
  readonly password: string | Uint8Array;
  /** IPMI 2.0 BMC key Kg (up to 20 bytes). Defaults to the password key. */
  readonly kg?: string | Uint8Array;
  /** Default '2.0' (RMCP+). */
  readonly protocol?: '2.0' | '1.5';
  /** RMCP+ cipher suite, default 3. Supported: 0 (opt-in), 1, 2, 3, 6, 7, 8, 15, 16, 17. */
  readonly cipherSuite?: number;
  /** Cipher suite 0 has no authentication at all; it is refused unless this is true. */
  readonly allowCipherSuiteZero?: boolean;
  /** IPMI 1.5 authentication type, default 'md5'. */
  readonly authType?: V15AuthType;
  /** Requested session privilege, default 'administrator'. */
  readonly privilege?: PrivilegeLevel;
  /** Per-attempt response timeout, default 1000 ms. */
  readonly timeoutMs?: number;
  /** Retransmissions after the first attempt, default 3. */
  readonly retries?: number;
  /** Minimum time between the end of one command and the start of the next, default 0. */
  readonly minCommandIntervalMs?: number;
  /** Close the session after this long without caller commands, default 30000 ms. */
  readonly idleTimeoutMs?: number;
  /**
   * While a session is open and not yet idle, send a cheap Get Device ID when nothing was sent
   * for this long, so BMC-side session timeouts don't expire it. Default 20000 ms; 0 disables.
   */
  readonly keepAliveIntervalMs?: number;
  /** Send Set System Boot Options "set in progress" around boot flag writes, default true. */
  readonly useSetInProgress?: boolean;
}

/** Per-BMC counters. */
export interface BmcStats {
  handshakes: number;
  commands: number;
  reestablished: number;
  keepAlives: number;
  sessionsClosed: number;
}

export interface RawResponse {
  readonly completionCode: number;
  readonly data: Buffer;
}

/** Internal wiring supplied by IpmiClient. */
export interface BmcContext {
  readonly pool: SocketPool;
  readonly stats: IpmiStats;
  readonly logger: IpmiLogger;
  readonly onClose: (bmc: Bmc) => void;
}

interface Secrets {
  readonly username: Buffer;
  readonly password: Buffer;
  readonly kg: Buffer | undefined;
}

export class Bmc {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly protocol: '2.0' | '1.5';
  readonly cipherSuite: number;
  readonly privilege: PrivilegeLevel;
  readonly stats: BmcStats = {
    handshakes: 0,
    commands: 0,
    reestablished: 0,
    keepAlives: 0,
    sessionsClosed: 0,
  };

  readonly #secrets: Secrets;
  readonly #ctx: BmcContext;
  readonly #policy: RetryPolicy;
  readonly #authType: V15AuthType;
  readonly #minInterval: number;
  readonly #idleTimeout: number;
  readonly #keepAlive: number;
  readonly #useSetInProgress: boolean;
  #link: Promise<Link> | undefined;
  #session: Session | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #lastCommandEnd = 0;
  #lastSend = 0;
  #lastUserCommand = 0;
  #idleTimer: NodeJS.Timeout | undefined;
  #keepAliveTimer: NodeJS.Timeout | undefined;
  #closed = false;

  /** @internal Use `IpmiClient.bmc()`. */
  constructor(opts: BmcOptions, ctx: BmcContext) {
    this.host = opts.host;
    this.port = opts.port ?? 623;
    this.username = opts.username;
    this.protocol = opts.protocol ?? '2.0';
    this.cipherSuite = opts.cipherSuite ?? 3;
    this.privilege = opts.privilege ?? 'administrator';
    this.#ctx = ctx;
    this.#authType = opts.authType ?? 'md5';
    this.#policy = {
      timeoutMs: positive(opts.timeoutMs, 1000, 'timeoutMs'),
      retries: nonNegative(opts.retries, 3, 'retries'),
    };
    this.#minInterval = nonNegative(opts.minCommandIntervalMs, 0, 'minCommandIntervalMs');
    this.#idleTimeout = positive(opts.idleTimeoutMs, 30_000, 'idleTimeoutMs');
    this.#keepAlive = nonNegative(opts.keepAliveIntervalMs, 20_000, 'keepAliveIntervalMs');
    this.#useSetInProgress = opts.useSetInProgress ?? true;

    const target = this.target;
    if (!Number.isInteger(this.port) || this.port < 1 || this.port > 65535) {
      throw new IpmiProtocolError(`invalid port ${this.port}`, { target });
    }
    if (!(this.privilege in Privilege)) {
      throw new IpmiProtocolError(`invalid privilege ${String(this.privilege)}`, { target });
    }
    if (this.protocol !== '2.0' && this.protocol !== '1.5') {
      throw new IpmiProtocolError(`invalid protocol ${String(this.protocol)}`, { target });
    }
    if (this.protocol === '2.0') {
      if (!CIPHER_SUITES.has(this.cipherSuite)) {
        throw new IpmiUnsupportedCipherError(
          `cipher suite ${this.cipherSuite} is not implemented`,
          this.cipherSuite,
          { target },
        );
      }
      if (this.cipherSuite === 0 && opts.allowCipherSuiteZero !== true) {
        throw new IpmiUnsupportedCipherError(
          'cipher suite 0 performs no authentication or integrity protection; pass allowCipherSuiteZero: true to use it',
          0,
          { target },
        );
      }
    } else if (this.#authType !== 'md5' && this.#authType !== 'password') {
      throw new IpmiProtocolError(`invalid IPMI 1.5 authType ${String(this.#authType)}`, {
        target,
      });
    }
    const keyLen = this.protocol === '2.0' ? 20 : 16;
    const username = Buffer.from(opts.username, 'utf8');
    if (username.length > 16)
      throw new IpmiProtocolError('user name longer than 16 bytes', { target });
    const password = toBytes(opts.password);
    if (password.length > keyLen) {
      throw new IpmiProtocolError(`password longer than ${keyLen} bytes`, { target });
    }
    const kg = opts.kg === undefined ? undefined : toBytes(opts.kg);
    if (kg && kg.length > 20) throw new IpmiProtocolError('Kg longer than 20 bytes', { target });
    this.#secrets = { username, password, kg };
  }

  /** `host:port` for messages. */
  get target(): string {
    return `${this.host}:${this.port}`;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Whether a session is currently established. */
  get sessionActive(): boolean {
    return this.#session?.active ?? false;
  }

  toString(): string {
    return `Bmc(${this.username}@${this.target}, IPMI ${this.protocol})`;
  }

  toJSON(): Record<string, unknown> {
    return {
      host: this.host,
      port: this.port,
      username: this.username,
      protocol: this.protocol,
      cipherSuite: this.cipherSuite,
      privilege: this.privilege,
    };
  }

  [inspect.custom](): string {
    return this.toString();
  }

  // ---- commands ----

  async getDeviceId(): Promise<DeviceId> {
    return parseDeviceId(this.#ok(await this.#command(getDeviceIdRequest)).data);
  }

  async getChassisStatus(): Promise<ChassisStatus> {
    return parseChassisStatus(this.#ok(await this.#command(getChassisStatusRequest)).data);
  }

  /** Convenience: `true` when chassis power is on. */
  async getPowerState(): Promise<boolean> {
    return (await this.getChassisStatus()).powerOn;
  }

  async chassisControl(action: ChassisControlAction): Promise<void> {
    this.#ok(await this.#command(chassisControlRequest(action)));
  }

  async setBootDevice(setting: BootDeviceSetting): Promise<void> {
    const flags = bootFlagsData(setting);
    await this.#exclusive(async () => {
      const inProgress = this.#useSetInProgress && (await this.#setInProgress(0x01));
      try {
        this.#ok(await this.#send(setBootOptionRequest(BOOT_PARAM_BOOT_FLAGS, flags)));
      } finally {
        if (inProgress) await this.#setInProgress(0x00);
      }
    });
  }

  async getBootDevice(): Promise<BootDeviceInfo> {
    return parseBootFlags(this.#ok(await this.#command(getBootFlagsRequest)).data);
  }

  /** BMC Cold Reset. The BMC forgets all sessions, so the local session is dropped as well. */
  async coldReset(): Promise<void> {
    await this.#exclusive(async () => {
      this.#ok(await this.#send(coldResetRequest));
      this.#session = undefined;
    });
  }

  /**
   * BMC Warm Reset. Whether a BMC keeps sessions across it is implementation-defined, so the local
   * session is dropped as after a cold reset.
   */
  async warmReset(): Promise<void> {
    await this.#exclusive(async () => {
      this.#ok(await this.#send(warmResetRequest));
      this.#session = undefined;
    });
  }

  /** Sends any request; non-zero completion codes are returned, not thrown. */
  async raw(
    netFn: number,
    command: number,
    data: Uint8Array | readonly number[] = [],
  ): Promise<RawResponse> {
    if (!Number.isInteger(netFn) || netFn < 0 || netFn > 0x3e || netFn % 2 !== 0) {
      throw new IpmiProtocolError(`netFn must be an even request netFn 0x00..0x3e, got ${netFn}`);
    }
    if (!Number.isInteger(command) || command < 0 || command > 0xff) {
      throw new IpmiProtocolError(`command must be 0..255, got ${command}`);
    }
    const bytes = Buffer.from(data as Uint8Array);
    const resp = await this.#command({ netFn, command, data: bytes });
    return { completionCode: resp.completionCode, data: Buffer.from(resp.data) };
  }

  /** Closes the session (Close Session, best effort) and releases the handle. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearTimers();
    this.#ctx.onClose(this);
    await this.#enqueue(async () => {
      await this.#closeSession();
      if (this.#link) {
        const link = await this.#link.catch(() => undefined);
        link?.close();
      }
    });
  }

  // ---- machinery ----

  #ok(resp: IpmiResponse): IpmiResponse {
    return requireSuccess(resp, this.target);
  }

  async #setInProgress(value: number): Promise<boolean> {
    try {
      const r = await this.#send(
        setBootOptionRequest(BOOT_PARAM_SET_IN_PROGRESS, Buffer.from([value])),
      );
      return r.completionCode === 0;
    } catch (err) {
      if (err instanceof IpmiCompletionCodeError) return false;
      throw err;
    }
  }

  #enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Runs `fn` as one caller command (it may send several requests with #send). */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed)
      return Promise.reject(new IpmiSessionError('BMC handle is closed', { target: this.target }));
    return this.#enqueue(async () => {
      const wait = this.#lastCommandEnd + this.#minInterval - Date.now();
      if (this.#minInterval > 0 && wait > 0) await sleep(wait);
      try {
        return await fn();
      } finally {
        this.#lastCommandEnd = Date.now();
        this.#lastUserCommand = this.#lastCommandEnd;
        this.#armTimers();
      }
    });
  }

  #command(req: Parameters<Session['request']>[1]): Promise<IpmiResponse> {
    return this.#exclusive(() => this.#send(req));
  }

  async #getLink(): Promise<Link> {
    if (!this.#link) {
      this.#link = (async () => {
        const address = isIP(this.host) ? this.host : (await lookup(this.host)).address;
        return new Link(this.#ctx.pool, address, this.port, this.#ctx.stats, this.target);
      })();
      this.#link.catch(() => (this.#link = undefined));
    }
    return this.#link;
  }

  #newSession(): Session {
    const privilege = Privilege[this.privilege];
    const s = this.#secrets;
    if (this.protocol === '1.5') {
      return new Ipmi15Session(
        {
          username16: paddedKey(s.username, 16),
          password16: paddedKey(s.password, 16),
          privilege,
          authType: this.#authType,
        },
        this.target,
      );
    }
    const cipherSuite = CIPHER_SUITES.get(this.cipherSuite);
    if (!cipherSuite)
      throw new IpmiUnsupportedCipherError('unknown cipher suite', this.cipherSuite);
    return new RmcpPlusSession(
      { username: s.username, kuid: s.password, kg: s.kg, privilege, cipherSuite },
      this.target,
    );
  }

  async #handshake(link: Link): Promise<Session> {
    const session = this.#newSession();
    this.#session = undefined;
    this.stats.handshakes++;
    this.#ctx.stats.handshakes++;
    try {
      await session.establish(link, this.#policy);
    } catch (err) {
      this.#ctx.stats.handshakeFailures++;
      this.#ctx.logger.debug('ipmi session handshake failed', {
        target: this.target,
        error: err instanceof Error ? err.name : 'unknown',
      });
      throw err;
    }
    this.#session = session;
    return session;
  }

  /** Sends one request in a session, (re)establishing the session as needed. */
  async #send(req: Parameters<Session['request']>[1]): Promise<IpmiResponse> {
    const link = await this.#getLink();
    this.#ctx.stats.commands++;
    this.stats.commands++;
    this.#lastSend = Date.now();
    let session = this.#session;
    const reused = session?.active === true;
    if (!session || !session.active) session = await this.#handshake(link);
    try {
      return await session.request(link, req, this.#policy);
    } catch (err) {
      if (!reused || !(err instanceof IpmiTimeoutError)) throw err;
      // The BMC probably forgot the session (reboot, its own timeout): one fresh handshake + retry.
      this.stats.reestablished++;
      this.#ctx.stats.sessionReestablished++;
      this.#ctx.logger.debug('ipmi session lost, re-establishing', { target: this.target });
      session = await this.#handshake(link);
      return await session.request(link, req, this.#policy);
    } finally {
      this.#lastSend = Date.now();
    }
  }

  async #closeSession(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    if (!session?.active || !this.#link) return;
    const link = await this.#link.catch(() => undefined);
    if (!link) return;
    await session.close(link, this.#policy);
    this.stats.sessionsClosed++;
    this.#ctx.stats.sessionsClosed++;
  }

  #clearTimers(): void {
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#keepAliveTimer);
    this.#idleTimer = undefined;
    this.#keepAliveTimer = undefined;
  }

  #armTimers(): void {
    this.#clearTimers();
    if (this.#closed || !this.#session?.active) return;
    this.#idleTimer = setTimeout(() => {
      void this.#enqueue(async () => {
        if (Date.now() - this.#lastUserCommand >= this.#idleTimeout - 5) {
          this.#clearTimers();
          await this.#closeSession();
        }
      });
    }, this.#idleTimeout);
    this.#idleTimer.unref();
    this.#armKeepAlive();
  }

  #armKeepAlive(): void {
    if (this.#keepAlive <= 0 || this.#keepAlive >= this.#idleTimeout) return;
    this.#keepAliveTimer = setTimeout(() => {
      void this.#enqueue(async () => {
        const session = this.#session;
        if (this.#closed || !session?.active) return;
        if (Date.now() - this.#lastSend >= this.#keepAlive - 5) {
          const link = await this.#getLink();
          this.stats.keepAlives++;
          this.#lastSend = Date.now();
          try {
            await session.request(link, getDeviceIdRequest, this.#policy);
          } catch {
            // The next caller command will re-establish the session.
            this.#session = undefined;
            return;
          }
        }
        if (Date.now() - this.#lastUserCommand + this.#keepAlive < this.#idleTimeout) {
          this.#armKeepAlive();
        }
      });
    }, this.#keepAlive);
    this.#keepAliveTimer.unref();
  }
}

function toBytes(v: string | Uint8Array): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v);
}

function positive(v: number | undefined, dflt: number, name: string): number {
  const n = v ?? dflt;
  if (!Number.isFinite(n) || n <= 0) throw new IpmiProtocolError(`${name} must be > 0`);
  return n;
}

function nonNegative(v: number | undefined, dflt: number, name: string): number {
  const n = v ?? dflt;
  if (!Number.isFinite(n) || n < 0) throw new IpmiProtocolError(`${name} must be >= 0`);
  return n;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
