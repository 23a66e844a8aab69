import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baremetalQuiet, sendHttp, startSplitMode, type SplitMode } from '@galvanic/testing';
import { startRedfishEmulator, type RedfishEmulator } from '@galvanic/redfish-emulator/testing';

const HEADERS = { 'X-OpenStack-Ironic-API-Version': '1.96', 'Content-Type': 'application/json' };
const PASSWORD = 'Rf-rules-pw-5521';

interface NodeShown {
  provision_state: string;
  last_error: string | null;
  properties: Record<string, unknown>;
  extra: Record<string, unknown>;
  traits: string[];
}

/**
 * Inspection rules applied after inspection, in split mode: rules created over the API (1.96),
 * nodes of the redfish hardware type inspected with the real `baremetal` CLI against the Redfish
 * emulator, the conductor evaluating the rules against the inventory and the node.
 */
describe('inspection rules applied by the conductor after inspection (split mode, redfish)', () => {
  let cluster: SplitMode;
  let bmc: RedfishEmulator;
  let apiUrl: string;
  const quiet = (...args: string[]) => baremetalQuiet(apiUrl, ...args);
  const api = async (method: string, path: string, body?: unknown) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const length: Record<string, string> =
      text === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(text)) };
    return sendHttp(apiUrl, method, path, { ...HEADERS, ...length }, text);
  };
  const show = async (name: string) => (await api('GET', `/v1/nodes/${name}`)).body as NodeShown;
  const createRule = async (rule: Record<string, unknown>) => {
    const created = await api('POST', '/v1/inspection_rules', rule);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  };
  const createNode = (name: string, i: number) =>
    quiet(
      'node',
      'create',
      '--driver',
      'redfish',
      '--name',
      name,
      '--driver-info',
      `redfish_address=${bmc.url}`,
      '--driver-info',
      `redfish_system_id=${bmc.systems[i]!.path}`,
      '--driver-info',
      `redfish_verify_ca=${bmc.caPath}`,
      '--driver-info',
      `redfish_username=${bmc.credentials.username}`,
      '--driver-info',
      `redfish_password=${PASSWORD}`,
    );

  beforeAll(async () => {
    bmc = await startRedfishEmulator({
      systems: 2,
      tls: true,
      auth: { username: 'admin', password: PASSWORD },
    });
    cluster = await startSplitMode({
      env: {
        GALVANIC_DEFAULT__ENABLED_HARDWARE_TYPES: 'redfish,fake-hardware',
        GALVANIC_REDFISH__CONNECTION_ATTEMPTS: '2',
        GALVANIC_REDFISH__CONNECTION_RETRY_INTERVAL: '0.2',
      },
    });
    apiUrl = cluster.apiUrl;
    await createNode('rules-ok', 0);
    await createNode('rules-refused', 1);
    await quiet('node', 'manage', 'rules-ok', '--wait', '60');
    await quiet('node', 'manage', 'rules-refused', '--wait', '60');

    // Runs first (highest priority); the rule below overwrites what it sets.
    await createRule({
      priority: 200,
      actions: [{ op: 'set-attribute', args: { path: 'properties.cpu_family', value: 'early' } }],
    });
    await createRule({
      description: 'x86 machines found by inspection',
      priority: 100,
      conditions: [
        { op: 'matches', args: { value: '{inventory[cpu][architecture]}', regex: 'x86_.*' } },
        { op: 'eq', args: { values: ['{node.driver}', 'redfish'] } },
        { op: '!is-empty', args: { value: '{inventory[interfaces]}' } },
        { op: 'one-of', args: { value: '{node.name}', values: ['rules-ok', 'rules-refused'] } },
      ],
      actions: [
        {
          op: 'set-attribute',
          args: {
            path: '/properties/cpu_family',
            value: '{inventory[cpu][architecture]}-{inventory[cpu][count]}',
          },
        },
        { op: 'set-capability', args: { name: 'boot_option', value: 'local' } },
        { op: 'extend-attribute', args: { path: '/extra/tags', value: 'inspected' } },
        { op: 'add-trait', args: { name: 'CUSTOM_INSPECTED' } },
        { op: 'add-trait', args: { name: '{item}' }, loop: ['CUSTOM_RACK_A', 'CUSTOM_ROW_3'] },
        { op: 'log', args: { msg: 'node {node.name} has {inventory[cpu][count]} CPUs' } },
      ],
    });
    // Never applies: its condition is false.
    await createRule({
      priority: 50,
      conditions: [{ op: 'lt', args: { values: [64, 8] } }],
      actions: [{ op: 'add-trait', args: { name: 'CUSTOM_NEVER' } }],
    });
    await createRule({
      priority: 10,
      conditions: [{ op: 'eq', args: { values: ['{node.name}', 'rules-refused'] } }],
      actions: [{ op: 'fail', args: { msg: 'This node is not allowed in the rack' } }],
    });
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    await bmc?.close();
  });

  it('baremetal node inspect applies matching rules by priority: properties, capability, traits', async () => {
    await quiet('node', 'inspect', 'rules-ok', '--wait', '90');
    const node = await show('rules-ok');
    expect(node.provision_state).toBe('manageable');
    expect(node.last_error).toBeNull();
    expect(node.properties).toMatchObject({
      cpus: 32,
      cpu_arch: 'x86_64',
      cpu_family: 'x86_64-32',
      capabilities: expect.stringContaining('boot_option:local'),
    });
    expect(node.extra.tags).toEqual(['inspected']);
    expect([...node.traits].sort()).toEqual(['CUSTOM_INSPECTED', 'CUSTOM_RACK_A', 'CUSTOM_ROW_3']);

    // Inspecting again applies the rules again: no duplicate traits, the list grows by one.
    await quiet('node', 'inspect', 'rules-ok', '--wait', '90');
    const again = await show('rules-ok');
    expect(again.traits).toHaveLength(3);
    expect(again.extra.tags).toEqual(['inspected', 'inspected']);
  }, 180_000);

  it("a failing rule sends the node to inspect failed with Ironic's message", async () => {
    await quiet('node', 'inspect', 'rules-refused');
    await expect
      .poll(async () => (await show('rules-refused')).provision_state, {
        timeout: 90_000,
        interval: 250,
      })
      .toBe('inspect failed');
    const node = await show('rules-refused');
    expect(node.last_error).toBe(
      'Failed to inspect hardware. Reason: This node is not allowed in the rack',
    );
    // The rules before the failing one did run.
    expect(node.properties.cpu_family).toBe('x86_64-32');
  }, 180_000);
});
