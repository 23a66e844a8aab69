import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baremetal,
  baremetalQuiet,
  createSplit,
  openstacksdk,
  type SplitEnvironment,
} from '@galvanic/testing';

type Item = Record<string, unknown>;

/**
 * Port groups, ports in them and volume resources driven by the real clients operators use — the
 * `baremetal` CLI (python-ironicclient) and openstacksdk — against split mode (api and a conductor
 * as processes over RabbitMQ and PostgreSQL).
 */
describe('port groups and volume with the baremetal CLI and openstacksdk (split mode)', () => {
  let env: SplitEnvironment;
  let api: string;

  const cli = (...args: string[]) => baremetal(api, ...args) as Promise<Item>;
  const cliList = (...args: string[]) => baremetal(api, ...args) as Promise<Item[]>;

  beforeAll(async () => {
    env = await createSplit({ conductors: ['c1'] });
    api = env.apiUrl;
  }, 180_000);

  afterAll(async () => {
    await env?.teardown();
  });

  it('baremetal port group create/list/show/set/unset/delete, and port create --port-group', async () => {
    const node = await cli('node', 'create', '--driver', 'fake-hardware', '--name', 'cli-pg-node');
    const group = await cli(
      'port',
      'group',
      'create',
      '--node',
      node.uuid as string,
      '--address',
      '52:54:00:30:00:01',
      '--name',
      'cli-bond0',
      '--mode',
      '802.3ad',
      '--property',
      'miimon=100',
      '--unsupport-standalone-ports',
      '--extra',
      'rack=r1',
    );
    expect(group).toMatchObject({
      name: 'cli-bond0',
      address: '52:54:00:30:00:01',
      node_uuid: node.uuid,
      mode: '802.3ad',
      // The CLI reads property values as JSON.
      properties: { miimon: 100 },
      standalone_ports_supported: false,
      extra: { rack: 'r1' },
    });
    const listed = await cliList('port', 'group', 'list', '--node', 'cli-pg-node');
    expect(listed).toEqual([{ UUID: group.uuid, Address: '52:54:00:30:00:01', Name: 'cli-bond0' }]);
    const long = await cliList('port', 'group', 'list', '--long');
    expect(long.find((g) => g.UUID === group.uuid)).toMatchObject({ Mode: '802.3ad' });

    await baremetalQuiet(
      api,
      'port',
      'group',
      'set',
      'cli-bond0',
      '--mode',
      'balance-rr',
      '--extra',
      'row=2',
      '--support-standalone-ports',
    );
    await baremetalQuiet(api, 'port', 'group', 'unset', 'cli-bond0', '--extra', 'rack');
    const shown = await cli('port', 'group', 'show', group.uuid as string);
    expect(shown).toMatchObject({
      mode: 'balance-rr',
      extra: { row: 2 },
      standalone_ports_supported: true,
    });

    const port = await cli(
      'port',
      'create',
      '52:54:00:30:00:02',
      '--node',
      node.uuid as string,
      '--port-group',
      group.uuid as string,
    );
    expect(port.portgroup_uuid).toBe(group.uuid);
    const members = await cliList('port', 'list', '--port-group', 'cli-bond0');
    expect(members.map((p) => p.UUID)).toEqual([port.uuid]);

    await expect(baremetalQuiet(api, 'port', 'group', 'delete', 'cli-bond0')).rejects.toThrow(
      /contains ports/,
    );
    await baremetalQuiet(api, 'port', 'delete', port.uuid as string);
    await baremetalQuiet(api, 'port', 'group', 'delete', 'cli-bond0');
    expect(await cliList('port', 'group', 'list', '--node', node.uuid as string)).toEqual([]);
  }, 120_000);

  it('baremetal volume connector and target create/list/show/set/unset/delete', async () => {
    const node = await cli('node', 'create', '--driver', 'fake-hardware', '--name', 'cli-vol-node');
    await baremetalQuiet(api, 'node', 'set', 'cli-vol-node', '--storage-interface', 'noop');
    await baremetalQuiet(api, 'node', 'power', 'off', 'cli-vol-node', '--power-timeout', '60');
    const connector = await cli(
      'volume',
      'connector',
      'create',
      '--node',
      node.uuid as string,
      '--type',
      'iqn',
      '--connector-id',
      'iqn.2026-11.org.galvanic:cli',
    );
    expect(connector).toMatchObject({ type: 'iqn', connector_id: 'iqn.2026-11.org.galvanic:cli' });
    const target = await cli(
      'volume',
      'target',
      'create',
      '--node',
      node.uuid as string,
      '--type',
      'iscsi',
      '--boot-index',
      '0',
      '--volume-id',
      'vol-0001',
      '--property',
      'target_lun=0',
    );
    expect(target).toMatchObject({
      volume_type: 'iscsi',
      boot_index: 0,
      volume_id: 'vol-0001',
      properties: { target_lun: 0 },
    });
    expect(
      (await cliList('volume', 'connector', 'list', '--node', 'cli-vol-node')).map((c) => c.UUID),
    ).toEqual([connector.uuid]);
    expect(
      (await cliList('volume', 'target', 'list', '--node', node.uuid as string)).map(
        (t) => t['Volume ID'],
      ),
    ).toEqual(['vol-0001']);

    await baremetalQuiet(
      api,
      'volume',
      'connector',
      'set',
      connector.uuid as string,
      '--connector-id',
      'iqn.2026-11.org.galvanic:cli2',
      '--extra',
      'a=b',
    );
    await baremetalQuiet(
      api,
      'volume',
      'connector',
      'unset',
      connector.uuid as string,
      '--extra',
      'a',
    );
    expect(await cli('volume', 'connector', 'show', connector.uuid as string)).toMatchObject({
      connector_id: 'iqn.2026-11.org.galvanic:cli2',
      extra: {},
    });
    await baremetalQuiet(
      api,
      'volume',
      'target',
      'set',
      target.uuid as string,
      '--boot-index',
      '1',
      '--property',
      'target_iqn=iqn.x',
    );
    expect(await cli('volume', 'target', 'show', target.uuid as string)).toMatchObject({
      boot_index: 1,
      properties: { target_lun: 0, target_iqn: 'iqn.x' },
    });

    await baremetalQuiet(api, 'node', 'power', 'on', 'cli-vol-node', '--power-timeout', '60');
    await expect(
      baremetalQuiet(api, 'volume', 'target', 'set', target.uuid as string, '--boot-index', '2'),
    ).rejects.toThrow(/volume target update/);

    await baremetalQuiet(api, 'volume', 'connector', 'delete', connector.uuid as string);
    await baremetalQuiet(api, 'volume', 'target', 'delete', target.uuid as string);
    expect(await cliList('volume', 'target', 'list', '--node', node.uuid as string)).toEqual([]);
  }, 120_000);

  it('openstacksdk creates, lists, updates and deletes port groups and volume connectors', async () => {
    const result = (await openstacksdk(
      api,
      `
node = conn.baremetal.create_node(driver='fake-hardware', name='sdk-node')
group = conn.baremetal.create_port_group(node_id=node.id, address='52:54:00:40:00:01',
                                         name='sdk-bond', mode='balance-alb')
port = conn.baremetal.create_port(node_id=node.id, address='52:54:00:40:00:02',
                                  port_group_id=group.id)
listed = [g.name for g in conn.baremetal.port_groups(node=node.id)]
members = [p.id for p in conn.baremetal.ports(portgroup=group.id)]
updated = conn.baremetal.update_port_group(group, extra={'k': 'v'})
refused = None
try:
    conn.baremetal.delete_port_group(group)
except exc.SDKException as error:
    refused = type(error).__name__
conn.baremetal.delete_port(port)
conn.baremetal.delete_port_group(group)
remaining = [g.id for g in conn.baremetal.port_groups(node=node.id)]
conn.baremetal.set_node_power_state(node, 'power off', wait=True, timeout=60)
connector = conn.baremetal.create_volume_connector(node_id=node.id, type='iqn',
                                                   connector_id='iqn.2026-11.org.galvanic:sdk')
connectors = [c.connector_id for c in conn.baremetal.volume_connectors(node=node.id)]
conn.baremetal.update_volume_connector(connector, extra={'x': 'y'})
connector_extra = conn.baremetal.get_volume_connector(connector.id).extra
conn.baremetal.delete_volume_connector(connector)
result = {
    'group': {'name': group.name, 'mode': group.mode, 'node': group.node_id},
    'port_group': port.port_group_id == group.id,
    'listed': listed,
    'members': members == [port.id],
    'extra': updated.extra,
    'refused': refused,
    'remaining': remaining,
    'connectors': connectors,
    'connector_extra': connector_extra,
    'node': node.id,
}
`,
    )) as Record<string, unknown>;
    expect(result).toMatchObject({
      group: { name: 'sdk-bond', mode: 'balance-alb', node: result.node },
      port_group: true,
      listed: ['sdk-bond'],
      members: true,
      extra: { k: 'v' },
      refused: 'BadRequestException',
      remaining: [],
      connectors: ['iqn.2026-11.org.galvanic:sdk'],
      connector_extra: { x: 'y' },
    });
  }, 120_000);
});
