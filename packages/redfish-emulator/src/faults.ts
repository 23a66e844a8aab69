/**
 * Faults a test switches on and off while the emulator runs: latency, server errors, dropped
 * connections, sessions that expire, slow power transitions.
 */
import type { SessionStore } from './sessions';

/** Which requests a fault applies to; all when omitted. */
export interface FaultScope {
  readonly method?: string;
  /** A path prefix such as `/redfish/v1/Systems`. */
  readonly pathPrefix?: string;
}

export interface ServerErrorOptions extends FaultScope {
  /** Default 503. */
  readonly status?: number;
  /** `Retry-After` seconds sent with the error (default 1; 0 sends none). */
  readonly retryAfterSeconds?: number;
}

export type FaultDecision =
  | { readonly kind: 'drop' }
  | { readonly kind: 'error'; readonly status: number; readonly retryAfterSeconds: number };

interface CountedOrRandom<T extends FaultScope> {
  remaining: number;
  fraction: number;
  options: T;
}

export interface FaultCounts {
  readonly delayed: number;
  readonly failed: number;
  readonly dropped: number;
}

export class FaultInjector {
  /** Added to every request before it is handled. */
  latencyMs = 0;
  /** How long memory-backed Systems stay PoweringOn/PoweringOff (0: no transition). */
  powerTransitionMs = 0;

  #errors: CountedOrRandom<ServerErrorOptions> | undefined;
  #drops: CountedOrRandom<FaultScope> | undefined;
  readonly #sessions: SessionStore;
  readonly #random: () => number;
  #counts = { delayed: 0, failed: 0, dropped: 0 };

  constructor(sessions: SessionStore, random: () => number = Math.random) {
    this.#sessions = sessions;
    this.#random = random;
  }

  get counts(): FaultCounts {
    return { ...this.#counts };
  }

  /** The next `count` matching requests get a server error. */
  failNext(count: number, options: ServerErrorOptions = {}): void {
    this.#errors = { remaining: count, fraction: 0, options };
  }

  /** Each matching request gets a server error with probability `fraction`, until cleared. */
  failFraction(fraction: number, options: ServerErrorOptions = {}): void {
    this.#errors = { remaining: 0, fraction, options };
  }

  /** The next `count` matching requests have their connection destroyed without an answer. */
  dropNext(count: number, scope: FaultScope = {}): void {
    this.#drops = { remaining: count, fraction: 0, options: scope };
  }

  /** Each matching request's connection is destroyed with probability `fraction`. */
  dropFraction(fraction: number, scope: FaultScope = {}): void {
    this.#drops = { remaining: 0, fraction, options: scope };
  }

  /** Ends every session now; returns how many there were. */
  expireSessions(): number {
    return this.#sessions.expireAll();
  }

  /** Sessions end this long after their last use (undefined: SessionService.SessionTimeout). */
  get sessionLifetimeMs(): number | undefined {
    return this.#sessions.lifetimeOverrideMs;
  }

  set sessionLifetimeMs(value: number | undefined) {
    this.#sessions.lifetimeOverrideMs = value;
  }

  /** Switches every fault off. */
  clear(): void {
    this.latencyMs = 0;
    this.powerTransitionMs = 0;
    this.#errors = undefined;
    this.#drops = undefined;
    this.#sessions.lifetimeOverrideMs = undefined;
  }

  /** @internal Called by the server for each request. */
  decide(method: string, path: string): FaultDecision | undefined {
    if (this.#take(this.#drops, method, path)) {
      this.#counts.dropped += 1;
      return { kind: 'drop' };
    }
    const errors = this.#errors;
    if (errors && this.#take(errors, method, path)) {
      this.#counts.failed += 1;
      return {
        kind: 'error',
        status: errors.options.status ?? 503,
        retryAfterSeconds: errors.options.retryAfterSeconds ?? 1,
      };
    }
    return undefined;
  }

  /** @internal */
  noteDelayed(): void {
    this.#counts.delayed += 1;
  }

  #take<T extends FaultScope>(
    fault: CountedOrRandom<T> | undefined,
    method: string,
    path: string,
  ): boolean {
    if (!fault || !inScope(fault.options, method, path)) return false;
    if (fault.remaining > 0) {
      fault.remaining -= 1;
      return true;
    }
    return fault.fraction > 0 && this.#random() < fault.fraction;
  }
}

function inScope(scope: FaultScope, method: string, path: string): boolean {
  if (scope.method !== undefined && scope.method.toUpperCase() !== method) return false;
  return scope.pathPrefix === undefined || path.startsWith(scope.pathPrefix);
}
