import { describe, expect, it } from 'vitest';
import {
  MissingParameterValue,
  passthruMethodsOf,
  type PassthruMethodInfo,
} from '@galvanic/driver-sdk';
import { buildInterface, makeTask } from '@galvanic/driver-sdk/testing';
import { FakeVendor } from '../src';

/** The body of Ironic's `GET /v1/nodes/{node}/vendor_passthru/methods` for a fake-hardware node. */
const IRONIC_NODE_METHODS = {
  fourth_method_shared_lock: {
    http_methods: ['POST'],
    async: true,
    description: 'Test if the value of bar is woof',
    attach: false,
    require_exclusive_lock: false,
  },
  second_method: {
    http_methods: ['POST'],
    async: true,
    description: 'Test if the value of bar is kazoo',
    attach: false,
    require_exclusive_lock: true,
  },
  third_method_sync: {
    http_methods: ['POST'],
    async: false,
    description: 'Test if the value of bar is meow',
    attach: false,
    require_exclusive_lock: true,
  },
};

function asIronicShows(methods: PassthruMethodInfo[]) {
  return Object.fromEntries(
    methods.map((info) => [
      info.name,
      {
        http_methods: info.httpMethods,
        async: info.async,
        description: info.description,
        attach: info.attach,
        require_exclusive_lock: info.requireExclusiveLock,
      },
    ]),
  );
}

describe('FakeVendor', () => {
  const vendor = buildInterface(FakeVendor);
  const methods = [...passthruMethodsOf(vendor).values()];

  it("declares Ironic's node passthru methods exactly", () => {
    expect(asIronicShows(methods.filter((m) => m.scope === 'node'))).toEqual(IRONIC_NODE_METHODS);
  });

  it('declares no driver passthru methods', () => {
    expect(methods.filter((m) => m.scope === 'driver')).toEqual([]);
  });

  it('shows the properties B1 and B2, both required', () => {
    expect(vendor.getProperties()).toEqual({
      B1: { description: 'B1 description.', required: true },
      B2: { description: 'B2 description.', required: true },
    });
  });

  it.each(['second_method', 'third_method_sync', 'fourth_method_shared_lock'])(
    'refuses a call to %s without bar',
    (method) => {
      const call = () => vendor.validateCall(makeTask(), method, {});
      expect(call).toThrow(MissingParameterValue);
      expect(call).toThrow(`Parameter 'bar' not passed to method '${method}'.`);
    },
  );

  it('accepts calls with bar, and other methods whatever their body', () => {
    expect(() => vendor.validateCall(makeTask(), 'third_method_sync', { bar: 'x' })).not.toThrow();
    expect(() => vendor.validateCall(undefined, 'something_else', null)).not.toThrow();
  });

  it('third_method_sync answers a bare true for meow and false otherwise', async () => {
    const task = makeTask();
    await expect(vendor.third_method_sync(task, { bar: 'meow' }, 'POST')).resolves.toBe(true);
    await expect(vendor.third_method_sync(task, { bar: 'nope' }, 'POST')).resolves.toBe(false);
  });

  it('the async methods test their own value', async () => {
    const task = makeTask();
    await expect(vendor.second_method(task, { bar: 'kazoo' }, 'POST')).resolves.toBe(true);
    await expect(vendor.second_method(task, { bar: 'meow' }, 'POST')).resolves.toBe(false);
    await expect(vendor.fourth_method_shared_lock(task, { bar: 'woof' }, 'POST')).resolves.toBe(
      true,
    );
  });
});
