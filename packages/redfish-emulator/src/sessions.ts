/**
 * Redfish sessions: a token per session, an idle timeout (SessionService.SessionTimeout) checked
 * when a token is used, and a fault hook that makes sessions expire sooner or at once.
 */
import { randomBytes } from 'node:crypto';

export interface SessionRecord {
  readonly id: string;
  readonly userName: string;
  readonly createdTime: string;
  /** The X-Auth-Token. Never logged or shown in a resource. */
  readonly token: string;
  lastUsed: number;
}

export const SESSION_TIMEOUT_RANGE = { min: 30, max: 86400 } as const;

export class SessionStore {
  /** SessionService.SessionTimeout, in seconds. */
  timeoutSeconds: number;
  /** When set (a fault), sessions end this many milliseconds after their last use instead. */
  lifetimeOverrideMs: number | undefined;

  readonly #byToken = new Map<string, SessionRecord>();
  readonly #byId = new Map<string, SessionRecord>();
  readonly #now: () => number;
  #nextId = 1;

  constructor(timeoutSeconds: number, now: () => number = Date.now) {
    this.timeoutSeconds = timeoutSeconds;
    this.lifetimeOverrideMs = undefined;
    this.#now = now;
  }

  create(userName: string): SessionRecord {
    const now = this.#now();
    const session: SessionRecord = {
      id: `${this.#nextId++}${randomBytes(4).toString('hex')}`,
      userName,
      createdTime: new Date(now).toISOString(),
      token: randomBytes(24).toString('base64url'),
      lastUsed: now,
    };
    this.#byToken.set(session.token, session);
    this.#byId.set(session.id, session);
    return session;
  }

  /** The live session holding this token, its idle clock restarted; undefined if none. */
  use(token: string): SessionRecord | undefined {
    const session = this.#byToken.get(token);
    if (!session) return undefined;
    const now = this.#now();
    if (this.#expired(session, now)) {
      this.delete(session.id);
      return undefined;
    }
    session.lastUsed = now;
    return session;
  }

  get(id: string): SessionRecord | undefined {
    const session = this.#byId.get(id);
    if (session && this.#expired(session, this.#now())) {
      this.delete(id);
      return undefined;
    }
    return session;
  }

  list(): SessionRecord[] {
    const now = this.#now();
    for (const session of this.#byId.values()) {
      if (this.#expired(session, now)) this.delete(session.id);
    }
    return [...this.#byId.values()];
  }

  delete(id: string): boolean {
    const session = this.#byId.get(id);
    if (!session) return false;
    this.#byId.delete(id);
    this.#byToken.delete(session.token);
    return true;
  }

  /** Ends every session now; returns how many there were. */
  expireAll(): number {
    const count = this.#byId.size;
    this.#byId.clear();
    this.#byToken.clear();
    return count;
  }

  #expired(session: SessionRecord, now: number): boolean {
    const limit = this.lifetimeOverrideMs ?? this.timeoutSeconds * 1000;
    return now - session.lastUsed > limit;
  }
}
