/**
 * Remembers the MACs of calls accepted until their deadline, so a genuine call captured and
 * published again is refused: every call a client sends has its own MAC (it covers a fresh
 * message id), and a call is never accepted after its deadline anyway.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  private nextSweep = 0;

  /** Records the call; false when a call with this MAC was already accepted. */
  accept(mac: string, deadline: number, now = Date.now()): boolean {
    if (now >= this.nextSweep) this.sweep(now);
    if (this.seen.has(mac)) return false;
    this.seen.set(mac, deadline);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private sweep(now: number): void {
    for (const [mac, deadline] of this.seen) if (deadline <= now) this.seen.delete(mac);
    this.nextSweep = now + 1000;
  }
}
