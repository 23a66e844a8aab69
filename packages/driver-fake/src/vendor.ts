import {
  MissingParameterValue,
  VendorInterface,
  passthru,
  serviceStep,
  STEP_WAIT,
  type HttpMethod,
  type PropertyTable,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { fakeDelay } from './delay';
import { fakeOptions } from './options';

const METHODS_TAKING_BAR = new Set([
  'second_method',
  'third_method_sync',
  'fourth_method_shared_lock',
]);

function barOf(body: unknown): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>).bar
    : undefined;
}

/** Microseconds since the epoch, comparable across processes on one machine. */
function nowMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/**
 * Ironic's `fake` vendor interface (its FakeVendorB): three node methods that answer whether
 * `bar` has the value each expects, one per combination of sync/async and lock.
 */
export class FakeVendor extends VendorInterface {
  static override readonly optionGroups = [fakeOptions];

  override getProperties(): PropertyTable {
    return {
      B1: { description: 'B1 description.', required: true },
      B2: { description: 'B2 description.', required: true },
    };
  }

  validate(): void {}

  override validateCall(_task: TaskContext | undefined, method: string, body: unknown): void {
    const bar = barOf(body);
    if (METHODS_TAKING_BAR.has(method) && (bar === undefined || bar === null || bar === '')) {
      throw new MissingParameterValue(`Parameter 'bar' not passed to method '${method}'.`);
    }
  }

  @passthru({
    httpMethods: ['POST'],
    async: true,
    requireExclusiveLock: true,
    description: 'Test if the value of bar is kazoo',
  })
  async second_method(task: TaskContext, body: unknown, _httpMethod: HttpMethod): Promise<boolean> {
    return this.timed(task, 'second_method', async () => {
      await fakeDelay(this.env, 'vendor', task);
      return barOf(body) === 'kazoo';
    });
  }

  @passthru({
    httpMethods: ['POST'],
    async: false,
    requireExclusiveLock: true,
    description: 'Test if the value of bar is meow',
  })
  async third_method_sync(
    task: TaskContext,
    body: unknown,
    _httpMethod: HttpMethod,
  ): Promise<boolean> {
    return this.timed(task, 'third_method_sync', async () => {
      await fakeDelay(this.env, 'vendor', task);
      return barOf(body) === 'meow';
    });
  }

  @passthru({
    httpMethods: ['POST'],
    async: true,
    requireExclusiveLock: false,
    description: 'Test if the value of bar is woof',
  })
  async fourth_method_shared_lock(
    task: TaskContext,
    body: unknown,
    _httpMethod: HttpMethod,
  ): Promise<boolean> {
    return this.timed(task, 'fourth_method_shared_lock', async () => {
      await fakeDelay(this.env, 'vendor', task);
      return barOf(body) === 'woof';
    });
  }

  /** Ironic's fake `log_passthrough` service step: logs its arguments; needs no ramdisk. */
  @serviceStep({ requiresRamdisk: false })
  async log_passthrough(task: TaskContext, args: Record<string, unknown>): Promise<void> {
    await fakeDelay(this.env, 'vendor', task);
    task.logger.info('fake log_passthrough service step ran', { node: task.node.uuid, args });
  }

  /** Ironic's fake `trigger_servicewait`: leaves the node in `service wait`, as an async step does. */
  @serviceStep()
  trigger_servicewait(_task: TaskContext, _args: Record<string, unknown>): typeof STEP_WAIT {
    return STEP_WAIT;
  }

  /**
   * Logs when a method enters and leaves (debug level), so tests can check from the conductors'
   * logs that exclusive methods on one node never overlap.
   */
  private async timed<T>(task: TaskContext, method: string, run: () => Promise<T>): Promise<T> {
    const entered = nowMicros();
    try {
      return await run();
    } finally {
      task.logger.debug('fake vendor method ran', {
        method,
        node: task.node.uuid,
        entered_us: entered,
        left_us: nowMicros(),
        shared: task.shared,
      });
    }
  }
}
