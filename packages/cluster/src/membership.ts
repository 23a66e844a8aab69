import type { ConductorRegistration, ConductorStore, HeartbeatOutcome } from '@galvanic/db';
import type { Logger } from '@galvanic/logging';

/** After a failed heartbeat, the next try comes this soon (or at the interval, if sooner). */
const RETRY_AFTER_FAILURE_MS = 250;

/**
 * A conductor's place in the cluster: it registers, heartbeats on an interval, and marks itself
 * offline when it stops. A conductor that dies without leaving stops heartbeating and is counted
 * dead by everyone once its heartbeat is older than the timeout.
 *
 * It also knows whether it is itself still a member: its last recorded heartbeat, timed by this
 * process's monotonic clock from when it was sent, is within the timeout. A process that was
 * frozen finds that heartbeat old when it resumes; a heartbeat that finds the conductor had
 * already counted as dead (frozen, or cut off from a database that stayed up) marks a rejoin:
 * calls issued before it were routed while others owned this conductor's nodes.
 */
export class ConductorMembership {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<HeartbeatOutcome | undefined> | undefined;
  private lastBeatSentAt: number | undefined;
  private rejoined = 0;
  private leaving = false;
  private failing = false;

  constructor(
    private readonly store: ConductorStore,
    private readonly registration: ConductorRegistration,
    private readonly heartbeatIntervalMs: number,
    private readonly heartbeatTimeoutMs: number,
    private readonly logger: Logger,
  ) {}

  get hostname(): string {
    return this.registration.hostname;
  }

  /** Epoch ms (this host's clock) when this conductor last came back after counting as dead. */
  get rejoinedAt(): number {
    return this.rejoined;
  }

  /** Whether this conductor's last recorded heartbeat is recent enough for it to count as alive. */
  isLive(): boolean {
    return (
      this.lastBeatSentAt !== undefined &&
      performance.now() - this.lastBeatSentAt < this.heartbeatTimeoutMs
    );
  }

  async join(): Promise<void> {
    const sentAt = performance.now();
    const { tookOverLive } = await this.store.register(this.registration);
    this.lastBeatSentAt = sentAt;
    if (tookOverLive) {
      this.logger.warn('took over a registration of this hostname that had not yet timed out');
    }
    this.logger.info('conductor registered', {
      conductor_group: this.registration.conductorGroup,
      hardware_types: this.registration.hardwareTypes,
    });
    this.schedule(this.heartbeatIntervalMs);
  }

  /**
   * Heartbeats now (joining one in flight); resolves with what it found, or undefined when the
   * database could not be reached.
   */
  beatNow(): Promise<HeartbeatOutcome | undefined> {
    this.beating ??= this.beat().finally(() => (this.beating = undefined));
    return this.beating;
  }

  private schedule(delayMs: number): void {
    if (this.leaving) return;
    this.timer = setTimeout(() => {
      void this.beatNow().then((outcome) =>
        this.schedule(
          outcome
            ? this.heartbeatIntervalMs
            : Math.min(this.heartbeatIntervalMs, RETRY_AFTER_FAILURE_MS),
        ),
      );
    }, delayMs);
    this.timer.unref();
  }

  private async beat(): Promise<HeartbeatOutcome | undefined> {
    const sentAt = performance.now();
    const sentAtWallClock = Date.now();
    try {
      const outcome = await this.store.heartbeat(this.registration.hostname);
      if (!outcome.recorded) {
        this.logger.warn('heartbeat found no online registration; registering again');
        await this.store.register(this.registration);
      } else if (!outcome.wasAlive) {
        this.logger.warn('this conductor had counted as dead: calls issued before now are refused');
      }
      if (!outcome.recorded || !outcome.wasAlive) this.rejoined = sentAtWallClock;
      this.lastBeatSentAt = sentAt;
      if (this.failing) this.logger.info('heartbeat recorded again');
      this.failing = false;
      return outcome;
    } catch (error) {
      // Retried every RETRY_AFTER_FAILURE_MS while it fails: logged once.
      if (!this.failing)
        this.logger.error('heartbeat failed; retrying until it succeeds', { error });
      this.failing = true;
      return undefined;
    }
  }

  /** Whether this conductor has begun leaving: it takes no new node calls. */
  get isLeaving(): boolean {
    return this.leaving;
  }

  /**
   * Leaves the ring: stops heartbeating and marks this conductor offline, so the api and the
   * other conductors route its nodes elsewhere as soon as they read membership again, without
   * waiting for its heartbeat to time out. Idempotent.
   */
  leave(): Promise<void> {
    this.leaving = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.leavingDone ??= (async () => {
      await this.beating;
      await this.store.unregister(this.registration.hostname);
      this.logger.info('conductor unregistered');
    })();
    return this.leavingDone;
  }

  private leavingDone: Promise<void> | undefined;
}
