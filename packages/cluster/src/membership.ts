import type { ConductorRegistration, ConductorStore } from '@galvanic/db';
import type { Logger } from '@galvanic/logging';

/**
 * A conductor's place in the cluster: it registers, heartbeats on an interval, and marks itself
 * offline when it stops. A conductor that dies without leaving stops heartbeating and is counted
 * dead by everyone once its heartbeat is older than the timeout.
 */
export class ConductorMembership {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;

  constructor(
    private readonly store: ConductorStore,
    private readonly registration: ConductorRegistration,
    private readonly heartbeatIntervalMs: number,
    private readonly logger: Logger,
  ) {}

  get hostname(): string {
    return this.registration.hostname;
  }

  async join(): Promise<void> {
    const { tookOverLive } = await this.store.register(this.registration);
    if (tookOverLive) {
      this.logger.warn('took over a registration of this hostname that had not yet timed out');
    }
    this.logger.info('conductor registered', {
      conductor_group: this.registration.conductorGroup,
      hardware_types: this.registration.hardwareTypes,
    });
    this.timer = setInterval(() => {
      this.beating ??= this.beat().finally(() => (this.beating = undefined));
    }, this.heartbeatIntervalMs);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    try {
      const recorded = await this.store.heartbeat(this.registration.hostname);
      if (!recorded) {
        this.logger.warn('heartbeat found no online registration; registering again');
        await this.store.register(this.registration);
      }
    } catch (error) {
      this.logger.error('heartbeat failed', { error });
    }
  }

  async leave(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.beating;
    await this.store.unregister(this.registration.hostname);
    this.logger.info('conductor unregistered');
  }
}
