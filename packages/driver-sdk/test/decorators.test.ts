import { describe, expect, it } from 'vitest';
import {
  cleanStep,
  deployStep,
  driverPassthru,
  passthru,
  passthruMethodsOf,
  serviceStep,
  serviceStepsOf,
  stepsOf,
  VendorInterface,
  type TaskContext,
} from '../src';
import { buildInterface, makeTask } from '../src/testing';

class ExampleVendor extends VendorInterface {
  validate(): void {}

  @passthru({ description: 'Turn the widget', async: false })
  async turn(_task: TaskContext, body: unknown): Promise<unknown> {
    return body;
  }

  @passthru({ httpMethods: ['GET', 'POST'], requireExclusiveLock: false })
  async peek(): Promise<string> {
    return 'peeked';
  }

  @driverPassthru({ description: 'Ask the vendor service', async: false })
  async ask(): Promise<string> {
    return 'answer';
  }

  @deployStep({ priority: 100 })
  async deploy(): Promise<void> {}

  @deployStep({ priority: 40, argsinfo: { size: { description: 'How big', required: true } } })
  async configure(): Promise<void> {}

  @cleanStep({ priority: 10, abortable: true })
  @serviceStep({ requiresRamdisk: false })
  async scrub(): Promise<void> {}

  notAMethod(): void {}
}

class DerivedVendor extends ExampleVendor {
  @passthru({ description: 'Only in the derived class' })
  async extra(): Promise<void> {}
}

describe('SDK decorators', () => {
  it('declare node and driver passthru methods with Ironic defaults', () => {
    const methods = passthruMethodsOf(buildInterface(ExampleVendor));
    expect(Object.fromEntries(methods)).toEqual({
      turn: {
        name: 'turn',
        httpMethods: ['POST'],
        async: false,
        requireExclusiveLock: true,
        description: 'Turn the widget',
        attach: false,
        scope: 'node',
      },
      peek: expect.objectContaining({
        httpMethods: ['GET', 'POST'],
        async: true,
        requireExclusiveLock: false,
      }),
      ask: expect.objectContaining({ scope: 'driver', requireExclusiveLock: false, async: false }),
    });
  });

  it('declare deploy and clean steps with priority and argsinfo', () => {
    const vendor = buildInterface(ExampleVendor);
    expect(stepsOf(vendor, 'deploy').map((s) => [s.name, s.priority, s.argsinfo])).toEqual([
      ['deploy', 100, null],
      ['configure', 40, { size: { description: 'How big', required: true } }],
    ]);
    expect(stepsOf(vendor, 'clean')).toEqual([
      {
        kind: 'clean',
        name: 'scrub',
        priority: 10,
        argsinfo: null,
        abortable: true,
        requiresRamdisk: true,
      },
    ]);
  });

  it('declare service steps (1.87) apart from clean steps, priority 0 unless given', () => {
    const vendor = buildInterface(ExampleVendor);
    expect(serviceStepsOf(vendor)).toEqual([
      {
        kind: 'service',
        name: 'scrub',
        priority: 0,
        argsinfo: null,
        abortable: false,
        requiresRamdisk: false,
      },
    ]);
    expect(stepsOf(vendor, 'clean').map((s) => [s.name, s.kind, s.abortable])).toEqual([
      ['scrub', 'clean', true],
    ]);
  });

  it('are inherited, and the decorated methods still run', async () => {
    const vendor = buildInterface(DerivedVendor);
    expect([...passthruMethodsOf(vendor).keys()].sort()).toEqual(['ask', 'extra', 'peek', 'turn']);
    expect(await vendor.turn(makeTask(), { a: 1 })).toEqual({ a: 1 });
  });

  it('refuse a negative or fractional step priority', () => {
    expect(() => deployStep({ priority: -1 })).toThrow(/non-negative integer/);
    expect(() => cleanStep({ priority: 1.5 })).toThrow(/non-negative integer/);
  });

  it('work with experimentalDecorators-style calls too', () => {
    class Legacy extends VendorInterface {
      validate(): void {}
      async run(): Promise<void> {}
    }
    const descriptor = Object.getOwnPropertyDescriptor(Legacy.prototype, 'run')!;
    passthru({ description: 'legacy' })(Legacy.prototype, 'run', descriptor);
    expect(passthruMethodsOf(buildInterface(Legacy)).get('run')?.description).toBe('legacy');
  });
});
