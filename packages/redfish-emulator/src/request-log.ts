/**
 * The last requests the emulator answered, for tests that check what a client sent (a session
 * token rather than basic auth, an If-Match, a followed nextLink). Credentials, tokens and bodies
 * are never kept.
 */

export type RequestAuthKind = 'basic' | 'session' | 'none';

export interface LoggedRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  readonly auth: RequestAuthKind;
  readonly ifMatch: string | undefined;
  /** The status answered; 0 when the connection was dropped on purpose. */
  readonly status: number;
}

export class RequestLog {
  readonly #capacity: number;
  #entries: LoggedRequest[] = [];

  constructor(capacity = 1000) {
    this.#capacity = capacity;
  }

  add(entry: LoggedRequest): void {
    this.#entries.push(entry);
    // Trim in batches so a busy emulator does not shift the array on every request.
    if (this.#entries.length > this.#capacity * 2) {
      this.#entries = this.#entries.slice(-this.#capacity);
    }
  }

  /** Oldest first, at most `capacity` entries. */
  list(): LoggedRequest[] {
    return this.#entries.slice(-this.#capacity);
  }

  clear(): void {
    this.#entries = [];
  }
}
