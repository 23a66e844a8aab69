import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  baremetalWith,
  buildAgent,
  createInProcess,
  startHostAgent,
  type InProcessEnvironment,
  type ServiceProcess,
} from '@galvanic/testing';

const run = promisify(execFile);
const MINOR = 84;
const MAC = '52:54:00:0a:9e:38';
const PASSWORD = 'Rescue-me-0f-7c';
/**
 * Short enough that the test of a rescue ramdisk that never calls stays bounded, long enough for
 * the abort test to abort (through the CLI, on a loaded machine) before it fires.
 */
const RESCUE_CALLBACK_TIMEOUT = 12;

/** What OpenSSL's crypt(3) makes of a password with the salt of a SHA-256 crypt hash. */
async function opensslCrypt(password: string, hash: string): Promise<string> {
  const salt = hash.split('$')[2]!;
  const child = run('openssl', ['passwd', '-5', '-salt', salt, '-stdin']);
  child.child.stdin!.end(`${password}\n`);
  return (await child).stdout.trim();
}

/** The faultstring of an Ironic error body. */
function faultOf(text: string): string {
  const outer = JSON.parse(text) as { error_message: string };
  return (JSON.parse(outer.error_message) as { faultstring: string }).faultstring;
}

interface NodeBody {
  uuid: string;
  provision_state: string;
  last_error: string | null;
  instance_info: Record<string, unknown>;
  driver_internal_info: Record<string, unknown>;
}

describe(
  'rescue through the agent of a rescue ramdisk (agent as a host process, api + conductor)',
  { timeout: 120_000 },
  () => {
    let env: InProcessEnvironment;
    let folder: string;
    let agent: ServiceProcess | undefined;
    let nodeUuid: string;
    const logs: string[] = [];

    const api = (method: string, path: string, body?: unknown, minor = MINOR) =>
      apiRequest(env.apiUrl, method, path, { minor, ...(body === undefined ? {} : { body }) });
    const node = async () => (await api('GET', `/v1/nodes/${nodeUuid}`)).body as NodeBody;
    /** The real `baremetal` CLI (python-ironicclient) against the api, without auth. */
    const cli = (...args: string[]) =>
      baremetalWith(['--os-auth-type', 'none', '--os-endpoint', env.apiUrl], ...args);
    const stopAgent = async () => {
      agent?.kill('SIGKILL');
      await agent?.exited();
      agent = undefined;
    };
    const waitForState = async (state: string, timeoutMs = 45_000): Promise<NodeBody> => {
      const until = Date.now() + timeoutMs;
      let last = await node();
      while (last.provision_state !== state) {
        if (Date.now() > until) {
          throw new Error(
            `timed out waiting for ${state}: ${JSON.stringify(last)}\n${agent?.output() ?? ''}`,
          );
        }
        await new Promise((done) => setTimeout(done, 250));
        last = await node();
      }
      return last;
    };
    const rescueRoot = () => join(folder, 'rescue-root');
    /** PXELINUX's config for the node's port, as the pxe boot interface writes it. */
    const pxeConfig = () => join(folder, 'tftp', 'pxelinux.cfg', `01-${MAC.replaceAll(':', '-')}`);
    const exists = (path: string) =>
      access(path).then(
        () => true,
        () => false,
      );
    /** The machine boots its rescue ramdisk: a fresh agent that looks its node up. */
    const bootRescueRamdisk = async () => {
      await stopAgent();
      agent = await startHostAgent({
        apiUrl: env.apiUrl,
        disks: [],
        macs: [MAC],
        tempDir: folder,
        rescueRoot: rescueRoot(),
      });
    };

    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'galvanic-agent-rescue-'));
      const [environment] = await Promise.all([
        createInProcess({
          database: 'shared',
          logLevel: 'debug',
          logStream: new Writable({
            write(chunk: Buffer, _encoding, done) {
              logs.push(chunk.toString());
              done();
            },
          }),
          env: {
            GALVANIC_API__RAMDISK_HEARTBEAT_TIMEOUT: '3',
            GALVANIC_CONDUCTOR__CHECK_PROVISION_STATE_INTERVAL: '1',
            GALVANIC_CONDUCTOR__RESCUE_CALLBACK_TIMEOUT: String(RESCUE_CALLBACK_TIMEOUT),
            GALVANIC_CONDUCTOR__AUTOMATED_CLEAN: 'false',
            GALVANIC_PXE__TFTP_ROOT: join(folder, 'tftp'),
          },
        }),
        buildAgent(),
      ]);
      env = environment;
      const created = await api('POST', '/v1/nodes', {
        driver: 'fake-hardware',
        name: 'rescue-host',
        boot_interface: 'pxe',
        deploy_interface: 'fake',
        rescue_interface: 'agent',
        driver_info: { deploy_kernel: 'deploy.kernel', deploy_ramdisk: 'deploy.initrd' },
      });
      expect(created.status, created.text).toBe(201);
      nodeUuid = (created.body as NodeBody).uuid;
      const port = await api('POST', '/v1/ports', { node_uuid: nodeUuid, address: MAC });
      expect(port.status, port.text).toBe(201);
      for (const [target, state] of [
        ['manage', 'manageable'],
        ['provide', 'available'],
        ['active', 'active'],
      ] as const) {
        const moved = await api('PUT', `/v1/nodes/${nodeUuid}/states/provision`, { target });
        expect(moved.status, moved.text).toBe(202);
        await waitForState(state);
      }
    }, 180_000);

    afterAll(async () => {
      await stopAgent();
      await env?.teardown();
      if (folder) await rm(folder, { recursive: true, force: true });
    });

    it("refuses a rescue without a password, and a password with another target, in Ironic's words", async () => {
      const missing = await api('PUT', `/v1/nodes/${nodeUuid}/states/provision`, {
        target: 'rescue',
      });
      expect(missing.status).toBe(400);
      expect(faultOf(missing.text)).toBe(
        'A non-empty "rescue_password" is required when setting target provision state to rescue',
      );
      const blank = await api('PUT', `/v1/nodes/${nodeUuid}/states/provision`, {
        target: 'rescue',
        rescue_password: '  ',
      });
      expect(blank.status).toBe(400);
      const elsewhere = await api('PUT', `/v1/nodes/${nodeUuid}/states/provision`, {
        target: 'deleted',
        rescue_password: PASSWORD,
      });
      expect(elsewhere.status).toBe(400);
      expect(faultOf(elsewhere.text)).toBe(
        '"rescue_password" is only valid when setting target provision state to rescue',
      );
      expect((await node()).provision_state).toBe('active');
    });

    it('refuses a rescue when the node has no rescue ramdisk (no fall-back to the deploy ramdisk), and keeps no password', async () => {
      const refused = await api('PUT', `/v1/nodes/${nodeUuid}/states/provision`, {
        target: 'rescue',
        rescue_password: PASSWORD,
      });
      expect(refused.status).toBe(500);
      const fault = faultOf(refused.text);
      expect(fault).toContain(
        `Failed to rescue instance None for node ${nodeUuid}: Validation failed`,
      );
      expect(fault).toContain("'rescue_kernel', 'rescue_ramdisk'");
      expect(fault).not.toContain(PASSWORD);
      const still = await node();
      expect(still.provision_state).toBe('active');
      expect(still.instance_info).not.toHaveProperty('rescue_password');
      const patched = await api('PATCH', `/v1/nodes/${nodeUuid}`, [
        { op: 'add', path: '/driver_info/rescue_kernel', value: 'rescue.kernel' },
        { op: 'add', path: '/driver_info/rescue_ramdisk', value: 'rescue.initrd' },
      ]);
      expect(patched.status, patched.text).toBe(200);
    });

    it('rescues: rescue wait until the agent heartbeats, then finalize_rescue sets the hashed password and the node is in rescue', async () => {
      const rescue = await cli('node', 'rescue', nodeUuid, '--rescue-password', PASSWORD);
      expect(rescue.code, rescue.stderr).toBe(0);
      const waiting = await waitForState('rescue wait');
      // The password and its hash are kept for the agent, and never shown.
      expect(waiting.instance_info).toMatchObject({
        rescue_password: '******',
        hashed_rescue_password: '******',
      });
      const shown = await cli('node', 'show', nodeUuid, '-f', 'json');
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).not.toContain(PASSWORD);
      expect(JSON.parse(shown.stdout).instance_info).toMatchObject({
        rescue_password: '******',
        hashed_rescue_password: '******',
      });
      // The node boots its rescue ramdisk.
      const config = await readFile(pxeConfig(), 'utf8');
      expect(config).toContain('default rescue');
      expect(config).toContain('kernel rescue.kernel');
      expect(config).toContain('initrd=rescue.initrd');
      const listed = await api('GET', '/v1/nodes/detail');
      expect(listed.text).not.toContain(PASSWORD);
      expect(listed.text).not.toContain('$5$');

      await bootRescueRamdisk();
      const rescued = await waitForState('rescue');
      expect(rescued.last_error).toBeNull();
      // Ironic removes the password once the ramdisk has it.
      expect(rescued.instance_info).not.toHaveProperty('rescue_password');
      expect(rescued.instance_info).not.toHaveProperty('hashed_rescue_password');
      // The agent prints a command's end after answering it: its output may come a little later.
      await expect
        .poll(() => agent!.output(), { timeout: 30_000 })
        .toContain('rescue.finalize_rescue SUCCEEDED');
      // The rescue ramdisk's boot files are gone once it runs.
      expect(await exists(pxeConfig())).toBe(false);

      // The ramdisk's rescue user has the password, as a SHA-256 crypt(3) hash of it.
      const shadow = (await readFile(join(rescueRoot(), 'etc', 'shadow'), 'utf8')).trim();
      const [user, hash] = shadow.split(':');
      expect(user).toBe('rescue');
      expect(hash).toMatch(/^\$5\$[./0-9A-Za-z]{16}\$/);
      expect(await opensslCrypt(PASSWORD, hash!)).toBe(hash);
      expect(await opensslCrypt('not-the-password', hash!)).not.toBe(hash);
      const passwd = await readFile(join(rescueRoot(), 'etc', 'passwd'), 'utf8');
      expect(passwd).toMatch(/^rescue:x:0:0:/m);

      // The agent stops heartbeating after finalize_rescue, as IPA does: its loop ends (a
      // heartbeat is recorded before the agent's call returns), and none is recorded after.
      await expect
        .poll(() => agent!.output(), { timeout: 30_000 })
        .toContain('heartbeats stopped: the machine is rescued');
      const before = (await node()).driver_internal_info.agent_last_heartbeat;
      await new Promise((done) => setTimeout(done, 3500));
      expect((await node()).driver_internal_info.agent_last_heartbeat).toBe(before);

      // Neither the password nor its hash was logged.
      const logged = logs.join('');
      expect(logged).toContain('rescue');
      expect(logged).not.toContain(PASSWORD);
      expect(logged).not.toContain(hash);
    });

    it('unrescues: the node is active again, the password and the agent are forgotten', async () => {
      await stopAgent();
      const unrescue = await cli('node', 'unrescue', nodeUuid);
      expect(unrescue.code, unrescue.stderr).toBe(0);
      const active = await waitForState('active');
      expect(active.last_error).toBeNull();
      expect(active.instance_info).not.toHaveProperty('rescue_password');
      expect(active.instance_info).not.toHaveProperty('hashed_rescue_password');
      expect(active.driver_internal_info).not.toHaveProperty('agent_url');
      expect(active.driver_internal_info).not.toHaveProperty('agent_secret_token');
      expect(await exists(pxeConfig())).toBe(false);
    });

    it('aborts a rescue that waits for its ramdisk: rescue failed, the password gone', async () => {
      const rescue = await cli('node', 'rescue', nodeUuid, '--rescue-password', PASSWORD);
      expect(rescue.code, rescue.stderr).toBe(0);
      await waitForState('rescue wait');
      expect(await exists(pxeConfig())).toBe(true);
      const abort = await cli('node', 'abort', nodeUuid);
      expect(abort.code, abort.stderr).toBe(0);
      await waitForState('rescue failed');
      await expect
        .poll(async () => (await node()).last_error, { timeout: 30_000 })
        .toBe('Rescue operation aborted');
      const cleaned = await node();
      expect(cleaned.instance_info).not.toHaveProperty('rescue_password');
      expect(cleaned.instance_info).not.toHaveProperty('hashed_rescue_password');
      expect(await exists(pxeConfig())).toBe(false);
      const unrescue = await cli('node', 'unrescue', nodeUuid);
      expect(unrescue.code, unrescue.stderr).toBe(0);
      await waitForState('active');
    });

    it('fails a rescue whose ramdisk never calls back after rescue_callback_timeout, and cleans it up', async () => {
      const rescue = await cli('node', 'rescue', nodeUuid, '--rescue-password', PASSWORD);
      expect(rescue.code, rescue.stderr).toBe(0);
      await waitForState('rescue wait');
      const failed = await waitForState('rescue failed', (RESCUE_CALLBACK_TIMEOUT + 30) * 1000);
      expect(failed.last_error).toContain('Timeout reached while waiting for the agent');
      expect(failed.last_error).toContain('"rescue wait"');
      expect(failed.last_error).toContain('rescue_callback_timeout');
      expect(failed.last_error).toContain('never heartbeated');
      expect(failed.instance_info).not.toHaveProperty('rescue_password');
      expect(failed.instance_info).not.toHaveProperty('hashed_rescue_password');
      expect(failed.driver_internal_info).not.toHaveProperty('agent_secret_token');
      expect(await exists(pxeConfig())).toBe(false);
      // From rescue failed the operator can go back to the instance.
      const unrescue = await cli('node', 'unrescue', nodeUuid);
      expect(unrescue.code, unrescue.stderr).toBe(0);
      await waitForState('active');
    }, 90_000);
  },
);
