/** Clients remembered at most; past it, those without recent failures are forgotten first. */
const MAX_CLIENTS = 10_000;

/** Failed logins per client address over a sliding window, to refuse guessing at passwords. */
export class FailedLogins {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(client: string): number[] {
    const since = this.now() - this.windowMs;
    const times = (this.failures.get(client) ?? []).filter((time) => time > since);
    if (times.length) this.failures.set(client, times);
    else this.failures.delete(client);
    return times;
  }

  /** Seconds the client must wait before trying again; 0 when it may try now. */
  retryAfter(client: string): number {
    if (this.limit <= 0) return 0;
    const times = this.recent(client);
    if (times.length < this.limit) return 0;
    return Math.max(1, Math.ceil((times[0]! + this.windowMs - this.now()) / 1000));
  }

  record(client: string): void {
    if (this.limit <= 0) return;
    if (this.failures.size >= MAX_CLIENTS) {
      for (const known of [...this.failures.keys()]) this.recent(known);
      if (this.failures.size >= MAX_CLIENTS) this.failures.clear();
    }
    this.failures.set(client, [...this.recent(client), this.now()]);
  }

  /** How many failed logins the client has in the window now. */
  count(client: string): number {
    return this.recent(client).length;
  }
}
