import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  baremetal,
  baremetalQuiet,
  createSplit,
  openstacksdk,
  type SplitEnvironment,
} from '@galvanic/testing';

type Json = Record<string, unknown>;

/** The error text the CLI printed for a failed command. */
async function cliFailure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
  throw new Error('the command succeeded');
}

// Each CLI run starts a Python interpreter: a few seconds apiece on a loaded machine.
describe(
  'node sub-resources with the real baremetal CLI, in split mode (api and two conductors)',
  { timeout: 180_000 },
  () => {
    let env: SplitEnvironment;
    const cli = (...args: string[]) => baremetal(env.apiUrl, ...args);
    const quiet = (...args: string[]) => baremetalQuiet(env.apiUrl, ...args);
    const show = async (node: string) => (await cli('node', 'show', node)) as Json;
    /** `baremetal node create` of a fake-hardware node named `name`, with more options if given. */
    const createNode = async (name: string, ...options: string[]) =>
      (await cli(
        'node',
        'create',
        '--driver',
        'fake-hardware',
        '--name',
        name,
        ...options,
      )) as Json;

    beforeAll(async () => {
      env = await createSplit();
    }, 180_000);

    afterAll(async () => {
      await env?.teardown();
    });

    it('baremetal node maintenance set --reason / unset', async () => {
      await createNode('cli-maint');
      await quiet('node', 'maintenance', 'set', 'cli-maint', '--reason', 'fan noise');
      expect(await show('cli-maint')).toMatchObject({
        maintenance: true,
        maintenance_reason: 'fan noise',
      });
      await quiet('node', 'maintenance', 'unset', 'cli-maint');
      expect(await show('cli-maint')).toMatchObject({
        maintenance: false,
        maintenance_reason: null,
      });
    });

    it('baremetal node add trait / remove trait (one, --all) / trait list', async () => {
      await createNode('cli-traits');
      await quiet('node', 'add', 'trait', 'cli-traits', 'CUSTOM_GPU', 'HW_CPU_X86_AVX2');
      expect(await cli('node', 'trait', 'list', 'cli-traits')).toEqual([
        { Traits: 'CUSTOM_GPU' },
        { Traits: 'HW_CPU_X86_AVX2' },
      ]);
      await quiet('node', 'remove', 'trait', 'cli-traits', 'CUSTOM_GPU');
      expect((await show('cli-traits')).traits).toEqual(['HW_CPU_X86_AVX2']);
      // python-ironicclient 5.0.1 has no command that replaces all traits: the API call it would make.
      const replaced = await apiRequest(env.apiUrl, 'PUT', '/v1/nodes/cli-traits/traits', {
        body: { traits: ['CUSTOM_A', 'CUSTOM_B'] },
        minor: 37,
      });
      expect(replaced.status, replaced.text).toBe(204);
      expect((await show('cli-traits')).traits).toEqual(['CUSTOM_A', 'CUSTOM_B']);
      const invalid = await cliFailure(quiet('node', 'add', 'trait', 'cli-traits', 'not_a_trait'));
      expect(invalid).toContain(
        "Schema error for trait: 'not_a_trait' is not valid under any of the given schemas",
      );
      await quiet('node', 'remove', 'trait', 'cli-traits', '--all');
      expect((await show('cli-traits')).traits).toEqual([]);
    });

    it('baremetal node vif attach / list / detach, the VIF kept on a port', async () => {
      const node = await createNode('cli-vif');
      await cli('port', 'create', '52:54:00:12:34:56', '--node', node.uuid as string);
      await quiet('node', 'vif', 'attach', 'cli-vif', 'tenant-port-1');
      expect(await cli('node', 'vif', 'list', 'cli-vif')).toEqual([{ ID: 'tenant-port-1' }]);
      const ports = (await cli('port', 'list', '--node', 'cli-vif', '--long')) as Json[];
      expect(ports[0]!['Internal Info']).toEqual({ tenant_vif_port_id: 'tenant-port-1' });
      const full = await cliFailure(quiet('node', 'vif', 'attach', 'cli-vif', 'tenant-port-2'));
      expect(full).toContain('Unable to attach VIF tenant-port-2, not enough free physical ports.');
      await quiet('node', 'vif', 'detach', 'cli-vif', 'tenant-port-1');
      expect(await cli('node', 'vif', 'list', 'cli-vif')).toEqual([]);
    });

    it('baremetal node set --target-raid-config, checked by the fake raid interface', async () => {
      await createNode('cli-raid', '--raid-interface', 'fake');
      const config = {
        logical_disks: [{ size_gb: 'MAX', raid_level: '1+0', is_root_volume: true }],
      };
      await quiet('node', 'set', 'cli-raid', '--target-raid-config', JSON.stringify(config));
      expect((await show('cli-raid')).target_raid_config).toEqual(config);
      const bad = await cliFailure(
        quiet('node', 'set', 'cli-raid', '--target-raid-config', '{"logical_disks": []}'),
      );
      expect(bad).toContain('RAID config validation error: [] is too short');
    });

    it('baremetal node history list / get after manage and a failed clean', async () => {
      await createNode('cli-hist');
      await quiet('node', 'manage', 'cli-hist', '--wait', '60');
      // The fake power interface reports no state until one is set, as Ironic's: null after verifying.
      expect((await show('cli-hist')).power_state).toBeNull();
      await cliFailure(
        quiet(
          'node',
          'clean',
          'cli-hist',
          '--clean-steps',
          '[{"interface": "deploy", "step": "nope"}]',
          '--wait',
          '60',
        ),
      );
      const events = async () =>
        (await cli('node', 'history', 'list', 'cli-hist', '--long')) as Json[];
      await expect
        .poll(async () => (await events()).some((e) => e.Severity === 'ERROR'), {
          timeout: 20_000,
        })
        .toBe(true);
      const listed = await events();
      expect(listed.map((e) => e.Severity)).toContain('INFO');
      const failure = listed.find((e) => e.Severity === 'ERROR')!;
      expect(failure['Event Origin Type']).toBe('cleaning');
      expect(failure.Conductor).toMatch(/^c[12]$/);
      const one = (await cli('node', 'history', 'get', 'cli-hist', failure.UUID as string)) as Json;
      expect(one.event).toBe((await show('cli-hist')).last_error);
    });

    it('baremetal node bios setting list shows what the fake bios interface cached on verify', async () => {
      await createNode('cli-bios', '--bios-interface', 'fake');
      await quiet('node', 'manage', 'cli-bios', '--wait', '60');
      const settings = (await cli('node', 'bios', 'setting', 'list', 'cli-bios')) as Json[];
      expect(settings.length).toBeGreaterThan(0);
      expect(Object.keys(settings[0]!).sort()).toEqual(['BIOS setting name', 'BIOS setting value']);
    });

    it('point-2 behaviours through the CLI: 1.10 creates available; retired refused in available', async () => {
      const old = (await cli(
        '--os-baremetal-api-version',
        '1.10',
        'node',
        'create',
        '--driver',
        'fake-hardware',
        '--name',
        'cli-old',
      )) as Json;
      expect(old.provision_state).toBe('available');
      // A 409 (the node's state conflicts): the CLI would try again 5 times, 2 s apart, for nothing.
      const refused = await cliFailure(
        quiet('--max-retries', '0', 'node', 'set', 'cli-old', '--retired'),
      );
      expect(refused).toContain(
        `Node ${old.uuid as string} can not have 'retired' set in provision state 'available'`,
      );
      const badUuid = await cliFailure(
        quiet('node', 'create', '--driver', 'fake-hardware', '--uuid', 'not-a-uuid'),
      );
      expect(badUuid).toContain('Expected UUID for uuid: not-a-uuid');
      const missing = await cliFailure(quiet('node', 'unset', 'cli-old', '--property', 'nope'));
      expect(missing).toContain("can't remove a non-existent object 'nope'");
    });

    it('children (1.83) over the API in split mode, as the CLI 5.0.1 has no children command', async () => {
      const parent = await createNode('cli-parent');
      const child = await apiRequest(env.apiUrl, 'POST', '/v1/nodes', {
        body: { driver: 'fake-hardware', name: 'cli-child', parent_node: 'cli-parent' },
        minor: 83,
      });
      expect(child.status, child.text).toBe(201);
      const children = await apiRequest(env.apiUrl, 'GET', '/v1/nodes/cli-parent/children', {
        minor: 83,
      });
      expect((children.body as Json).children).toEqual([(child.body as Json).uuid]);
      expect((child.body as Json).parent_node).toBe(parent.uuid);
    });

    it('openstacksdk: maintenance, traits and VIFs through the baremetal proxy', async () => {
      const node = await createNode('sdk-1');
      await cli('port', 'create', '52:54:00:ab:cd:ef', '--node', node.uuid as string);
      const result = (await openstacksdk(
        env.apiUrl,
        [
          "conn.baremetal.set_node_maintenance('sdk-1', reason='bad disk')",
          "shown = conn.baremetal.get_node('sdk-1')",
          'maintenance = [shown.is_maintenance, shown.maintenance_reason]',
          "conn.baremetal.unset_node_maintenance('sdk-1')",
          "conn.baremetal.set_node_traits('sdk-1', ['CUSTOM_A', 'CUSTOM_B'])",
          "conn.baremetal.add_node_trait('sdk-1', 'CUSTOM_C')",
          "conn.baremetal.remove_node_trait('sdk-1', 'CUSTOM_A')",
          "conn.baremetal.attach_vif_to_node('sdk-1', 'sdk-vif')",
          "vifs = conn.baremetal.list_node_vifs('sdk-1')",
          "conn.baremetal.detach_vif_from_node('sdk-1', 'sdk-vif')",
          "after = conn.baremetal.get_node('sdk-1')",
          "result = {'maintenance': maintenance, 'after': after.is_maintenance,",
          "          'traits': sorted(after.traits), 'vifs': vifs,",
          "          'vifs_after': conn.baremetal.list_node_vifs('sdk-1')}",
        ].join('\n'),
        { apiVersion: '1.78', timeoutMs: 120_000 },
      )) as Json;
      expect(result).toEqual({
        maintenance: [true, 'bad disk'],
        after: false,
        traits: ['CUSTOM_B', 'CUSTOM_C'],
        vifs: ['sdk-vif'],
        vifs_after: [],
      });
    });
  },
);
