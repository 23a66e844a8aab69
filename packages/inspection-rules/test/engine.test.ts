import { describe, expect, it } from 'vitest';
import {
  formatString,
  runInspectionRules,
  type RuleLogLevel,
  type RuleTarget,
  type RunnableRule,
} from '../src/index';

const INVENTORY = {
  cpu: { count: 8, architecture: 'x86_64' },
  memory: { physical_mb: 16384 },
  interfaces: [
    { name: 'eth0', mac_address: '52:54:00:aa:bb:01', ipv4_address: '192.0.2.10' },
    { name: 'eth1', mac_address: '52:54:00:aa:bb:02', ipv4_address: '198.51.100.7' },
  ],
  bmc_address: '192.0.2.200',
  bmc_password: 'do-not-read',
};

/** A target recording what was saved and logged (the engine is pure; the conductor saves). */
function target(node: Record<string, unknown> = {}) {
  const saved: string[][] = [];
  const logs: [RuleLogLevel, string][] = [];
  const t: RuleTarget = {
    node: {
      uuid: 'node-1',
      name: 'n1',
      properties: {},
      extra: {},
      driver_info: {},
      traits: [],
      ...node,
    },
    inventory: structuredClone(INVENTORY),
    pluginData: {},
    saveNode: (fields) => {
      saved.push([...fields]);
      return Promise.resolve();
    },
    log: (level, message) => logs.push([level, message]),
  };
  return { t, saved, logs };
}

let serial = 0;
const rule = (parts: Partial<RunnableRule>): RunnableRule => ({
  uuid: `00000000-0000-0000-0000-${String((serial += 1)).padStart(12, '0')}`,
  priority: 0,
  sensitive: false,
  conditions: [],
  actions: [],
  ...parts,
});
const setExtra = (key: string, value: unknown) => ({
  op: 'set-attribute',
  args: { path: `/extra/${key}`, value },
});

describe("inspection rule engine (Ironic's semantics)", () => {
  it("formats strings as Python's str.format does", () => {
    const context = { inventory: INVENTORY, node: { name: 'n1', properties: { cpus: 4 } } };
    expect(formatString('{inventory[cpu][count]} CPUs', context)).toBe('8 CPUs');
    expect(formatString('{inventory[interfaces][1][name]}', context)).toBe('eth1');
    expect(formatString('{node.name}/{node.properties[cpus]}', context)).toBe('n1/4');
    expect(formatString('{inventory[memory]}', context)).toBe("{'physical_mb': 16384}");
    expect(formatString('{{literal}}', context)).toBe('{literal}');
    expect(formatString('{inventory[nope]}', context)).toBeUndefined();
    expect(formatString('{unknown}', context)).toBeUndefined();
  });

  it('runs rules by priority; a later rule sees what an earlier one set', async () => {
    const { t } = target();
    await runInspectionRules(
      [
        rule({ priority: 1, actions: [setExtra('order', '{node.extra[order]}-low')] }),
        rule({ priority: 9, actions: [setExtra('order', 'high')] }),
      ],
      t,
      'node-1',
    );
    expect(t.node.extra).toEqual({ order: 'high-low' });
  });

  it('checks conditions: comparisons, patterns, networks, truth, emptiness, inversion', async () => {
    const holds = async (condition: Record<string, unknown>) => {
      const { t } = target();
      await runInspectionRules(
        [rule({ conditions: [condition as never], actions: [setExtra('hit', true)] })],
        t,
        'node-1',
      );
      return (t.node.extra as Record<string, unknown>).hit === true;
    };
    // Interpolation gives text: '8' is not the integer 8, as in Ironic.
    expect(await holds({ op: 'eq', args: { values: ['{inventory[cpu][count]}', 8] } })).toBe(false);
    expect(await holds({ op: 'eq', args: { values: ['{inventory[cpu][count]}', '8'] } })).toBe(
      true,
    );
    expect(await holds({ op: 'lt', args: { values: [1, 2, 3] } })).toBe(true);
    expect(await holds({ op: 'gt', args: [[3, 2, 2]] })).toBe(false);
    expect(await holds({ op: '!gt', args: { values: [3, 2, 2] } })).toBe(true);
    expect(await holds({ op: 'matches', args: { value: 'x86_64', regex: 'x86' } })).toBe(false);
    expect(await holds({ op: 'matches', args: { value: 'x86_64', regex: 'x86.*' } })).toBe(true);
    expect(await holds({ op: 'contains', args: { value: 'x86_64', regex: '86_' } })).toBe(true);
    expect(
      await holds({
        op: 'in-net',
        args: { address: '{inventory[bmc_address]}', subnet: '192.0.2.0/24' },
      }),
    ).toBe(true);
    expect(
      await holds({ op: 'in-net', args: { address: '10.0.0.1', subnet: '192.0.2.0/24' } }),
    ).toBe(false);
    expect(await holds({ op: 'is-true', args: { value: 'Yes' } })).toBe(true);
    expect(await holds({ op: 'is-false', args: { value: 0 } })).toBe(true);
    expect(await holds({ op: 'is-none', args: { value: null } })).toBe(true);
    expect(await holds({ op: 'is-empty', args: { value: '{inventory[missing]}' } })).toBe(true);
    expect(await holds({ op: 'is-empty', args: { value: '{inventory[cpu]}' } })).toBe(false);
    expect(await holds({ op: 'one-of', args: { value: 'b', values: ['a', 'b'] } })).toBe(true);
    // Secrets in the inventory read as ***.
    expect(await holds({ op: 'eq', args: { values: ['{inventory[bmc_password]}', '***'] } })).toBe(
      true,
    );
  });

  it('loops conditions with multiple, and actions over items', async () => {
    const { t } = target();
    const inNet = (multiple: string) => ({
      op: 'in-net',
      args: { address: '{item[ipv4_address]}', subnet: '192.0.2.0/24' },
      loop: INVENTORY.interfaces,
      multiple,
    });
    await runInspectionRules(
      [
        rule({ conditions: [inNet('any')], actions: [setExtra('any', true)] }),
        rule({ conditions: [inNet('all')], actions: [setExtra('all', true)] }),
        rule({ conditions: [inNet('first')], actions: [setExtra('first', true)] }),
        rule({ conditions: [inNet('last')], actions: [setExtra('last', true)] }),
        rule({
          actions: [
            {
              op: 'extend-attribute',
              args: { path: 'extra.macs', value: '{item[mac_address]}', unique: true },
              loop: INVENTORY.interfaces,
            },
          ],
        }),
      ],
      t,
      'node-1',
    );
    expect(t.node.extra).toEqual({
      any: true,
      first: true,
      macs: ['52:54:00:aa:bb:01', '52:54:00:aa:bb:02'],
    });
  });

  it('changes capabilities, traits and plugin data, saving the node fields it changes', async () => {
    const { t, saved, logs } = target({
      properties: { capabilities: 'boot_mode:bios,secure_boot:false' },
      traits: ['CUSTOM_OLD'],
    });
    await runInspectionRules(
      [
        rule({
          actions: [
            { op: 'set-capability', args: { name: 'boot_mode', value: 'uefi' } },
            { op: 'unset-capability', args: { name: 'secure_boot' } },
            { op: 'add-trait', args: { name: 'CUSTOM_NEW' } },
            { op: 'remove-trait', args: { name: 'CUSTOM_OLD' } },
            { op: 'remove-trait', args: { name: 'CUSTOM_ABSENT' } },
            { op: 'set-plugin-data', args: { path: 'a.b', value: '{inventory[cpu][count]}' } },
            { op: 'extend-plugin-data', args: { path: 'list', value: 1 } },
            { op: 'del-attribute', args: { path: '/properties/capabilities' } },
            { op: 'log', args: { msg: 'arch {inventory[cpu][architecture]}', level: 'warning' } },
          ],
        }),
      ],
      t,
      'node-1',
    );
    expect(t.node.traits).toEqual(['CUSTOM_NEW']);
    expect(t.node.properties).toEqual({});
    expect(t.pluginData).toEqual({ a: { b: '8' }, list: [1] });
    expect(saved).toEqual([['properties'], ['properties'], ['traits'], ['traits'], ['properties']]);
    expect(logs).toContainEqual(['warning', 'arch x86_64']);
    expect(logs).toContainEqual([
      'warning',
      'Failed to remove trait CUSTOM_ABSENT: the node has no such trait',
    ]);
  });

  it("fails with Ironic's messages", async () => {
    const failing = async (actions: Record<string, unknown>[], conditions: unknown[] = []) => {
      const { t } = target();
      const r = rule({ actions: actions as never, conditions: conditions as never });
      return runInspectionRules([r], t, 'node-1').then(
        () => 'no error',
        (error: Error) => error.message.replace(r.uuid, '<rule>'),
      );
    };
    expect(await failing([{ op: 'fail', args: { msg: 'no {inventory[cpu][count]}' } }])).toBe(
      'Failed to inspect hardware. Reason: no {inventory[cpu][count]}',
    );
    expect(await failing([{ op: 'log', args: { msg: 'x', level: 'loud' } }])).toBe(
      'Inspection rule execution failed. Reason: Invalid log level: loud. Choose from debug, info, warning, error, critical',
    );
    expect(await failing([setExtra('x', 1)], [{ op: 'eq', args: { values: 'abc' } }])).toBe(
      "Inspection rule condition check failed. Reason: Failed to check condition: 'eq' on values: abc: Expected list for 'values', got: str",
    );
    expect(await failing([setExtra('x', 1)], [{ op: 'lt', args: { values: ['a', 1] } }])).toBe(
      "Failed to apply rule <rule> to node node-1: '<' not supported between instances of 'str' and 'int'",
    );
    expect(await failing([{ op: 'set-attribute', args: { path: '/nope/x', value: 1 } }])).toBe(
      "Inspection rule action execution failed. Reason: Failed to set attribute /nope/x with value 1: 'Node' object has no attribute 'nope'",
    );
    expect(
      await failing([setExtra('x', 1)], [{ op: 'matches', args: { value: 'a', regex: '(' } }]),
    ).toMatch(/^Inspection rule execution failed. Reason: invalid regular expression: /);
  });
});
