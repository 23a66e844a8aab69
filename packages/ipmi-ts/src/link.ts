/** Request/response exchange with one BMC address: one outstanding request, retransmission, timeouts. */
import { IpmiTimeoutError } from './errors';
import type { DecodedFrame } from './rmcp';
import { countDrop } from './stats';
import type { IpmiStats } from './stats';
import type { Registration, SocketPool } from './transport';

/**
 * Decides what a received frame means to the pending request:
 * undefined – not for us; a string – addressed to us but invalid (dropped, counted by reason);
 * `{ value }` – the response; `{ error }` – a definitive failure answer.
 */
export type MatchResult<T> = { value: T } | { error: Error } | string | undefined;
export type Matcher<T> = (frame: DecodedFrame) => MatchResult<T>;

export interface RetryPolicy {
  readonly timeoutMs: number;
  readonly retries: number;
}

interface Waiter {
  match: Matcher<unknown>;
  settle(result: { value: unknown } | { error: Error }): void;
}

export class Link {
  readonly target: string;
  readonly #stats: IpmiStats;
  readonly #registration: Registration;
  readonly #waiters = new Set<Waiter>();

  constructor(pool: SocketPool, address: string, port: number, stats: IpmiStats, target: string) {
    this.target = target;
    this.#stats = stats;
    this.#registration = pool.register(address, port, (frame) => this.#onFrame(frame));
  }

  #onFrame(frame: DecodedFrame): boolean {
    for (const w of this.#waiters) {
      let r: MatchResult<unknown>;
      try {
        r = w.match(frame);
      } catch {
        r = 'matcher-error';
      }
      if (r === undefined) continue;
      if (typeof r === 'string') {
        countDrop(this.#stats, r);
        return true;
      }
      w.settle(r);
      return true;
    }
    return false;
  }

  /**
   * Sends `build(attempt)` and waits up to `policy.timeoutMs` for a matching frame, retrying
   * `policy.retries` times. `build` is called per attempt so sequence numbers can advance.
   */
  async exchange<T>(
    build: (attempt: number) => Buffer,
    match: Matcher<T>,
    policy: RetryPolicy,
    what: string,
  ): Promise<T> {
    const attempts = Math.max(1, policy.retries + 1);
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) this.#stats.retransmits++;
      const datagram = build(attempt);
      const result = await new Promise<{ value: T } | { error: Error } | undefined>((resolve) => {
        const waiter: Waiter = {
          match: match as Matcher<unknown>,
          settle: (r) => {
            clearTimeout(timer);
            this.#waiters.delete(waiter);
            resolve(r as { value: T } | { error: Error });
          },
        };
        const timer = setTimeout(() => {
          this.#waiters.delete(waiter);
          resolve(undefined);
        }, policy.timeoutMs);
        this.#waiters.add(waiter);
        this.#registration.send(datagram).catch(() => {
          // Send errors (e.g. ICMP unreachable surfaced as ECONNREFUSED) behave like loss.
        });
      });
      if (result === undefined) continue;
      if ('error' in result) throw result.error;
      return result.value;
    }
    this.#stats.timeouts++;
    throw new IpmiTimeoutError(`no response to ${what} after ${attempts} attempt(s)`, attempts, {
      target: this.target,
    });
  }

  /** Fire-and-forget send (used for best-effort Close Session). */
  send(datagram: Buffer): Promise<void> {
    return this.#registration.send(datagram);
  }

  close(): void {
    this.#registration.unregister();
  }
}
