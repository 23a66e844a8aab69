import type { Logger } from '@galvanic/logging';

/**
 * Runs `run` every `intervalSeconds`, never two at once, and stops on `stop()` after the pass in
 * progress. An interval of 0 disables it.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly intervalSeconds: number,
    private readonly run: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.intervalSeconds <= 0) return;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, this.intervalSeconds * 1000);
    this.timer.unref();
  }

  /** One pass now; errors are logged, never thrown. */
  async runOnce(): Promise<void> {
    try {
      await this.run();
    } catch (error) {
      this.logger.error(`periodic task ${this.name} failed`, { reason: (error as Error).message });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
