import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  readFileRange,
  wholeDiskImage,
  buildAgent,
  createInProcess,
  newerBaremetalWith,
  startImageServer,
  startHostAgent,
  type ImageServer,
  type ServiceProcess,
  type InProcessEnvironment,
} from '@galvanic/testing';

const run = promisify(execFile);
const MINOR = 84;
const MAC = '52:54:00:0a:9e:01';
const DISK_BYTES = 16 * 1024 * 1024;
const IMAGE_BYTES = 4 * 1024 * 1024;
/** Short enough that the test of an agent that dies stays bounded. */
const DEPLOY_CALLBACK_TIMEOUT = 15;

interface NodeBody {
  uuid: string;
  provision_state: string;
  last_error: string | null;
  properties: Record<string, unknown>;
  driver_internal_info: Record<string, unknown>;
  deploy_step: Record<string, unknown>;
}

describe(
  'the Galvanic agent as a host process, driven by api + conductor',
  { timeout: 120_000 },
  () => {
    let env: InProcessEnvironment;
    let images: ImageServer;
    let stalled: Server;
    let stalledUrl: string;
    let folder: string;
    let disk: string;
    let agent: ServiceProcess | undefined;
    let nodeUuid: string;
    const raw = wholeDiskImage(IMAGE_BYTES, 'galvanic-image-block');
    const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

    const api = (method: string, path: string, body?: unknown, minor = MINOR) =>
      apiRequest(env.apiUrl, method, path, { minor, ...(body === undefined ? {} : { body }) });
    const node = async () => (await api('GET', `/v1/nodes/${nodeUuid}`)).body as NodeBody;
    /** The machine powers off: its agent is gone. */
    const stopAgent = async () => {
      agent?.kill('SIGKILL');
      await agent?.exited();
    };
    const provision = async (target: string, extra: Record<string, unknown> = {}) => {
      await stopAgent();
      const answer = await api('PUT', `/v1/nodes/${nodeUuid}/states/provision`, {
        target,
        ...extra,
      });
      expect(answer.status, answer.text).toBe(202);
    };
    const waitFor = async (
      what: string,
      check: (body: NodeBody) => boolean,
      timeoutMs = 45_000,
    ): Promise<NodeBody> => {
      const until = Date.now() + timeoutMs;
      let last = await node();
      while (!check(last)) {
        if (Date.now() > until) {
          throw new Error(
            `timed out waiting for ${what}: ${JSON.stringify(last)}\n${agent?.output() ?? ''}`,
          );
        }
        await new Promise((done) => setTimeout(done, 250));
        last = await node();
      }
      return last;
    };
    const waitForState = (state: string, timeoutMs?: number) =>
      waitFor(`provision state ${state}`, (body) => body.provision_state === state, timeoutMs);
    /** The machine boots the ramdisk: a fresh agent, as after a reboot. */
    const bootAgent = async (inspection = false) => {
      await stopAgent();
      agent = await startHostAgent({
        apiUrl: env.apiUrl,
        disks: [disk],
        macs: [MAC],
        tempDir: folder,
        ...(inspection
          ? { inspectionCallbackUrl: `${env.apiUrl}/v1/continue_inspection?node_uuid=${nodeUuid}` }
          : {}),
      });
      return agent;
    };
    const readDisk = (offset: number, length: number) => readFileRange(disk, offset, length);

    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'galvanic-agent-host-'));
      disk = join(folder, 'disk.img');
      await writeFile(disk, Buffer.alloc(DISK_BYTES));
      await writeFile(join(folder, 'image.raw'), raw);
      await run('qemu-img', [
        'convert',
        '-f',
        'raw',
        '-O',
        'qcow2',
        join(folder, 'image.raw'),
        join(folder, 'image.qcow2'),
      ]);
      const [server, environment] = await Promise.all([
        startImageServer(folder),
        createInProcess({
          database: 'shared',
          env: {
            GALVANIC_API__RAMDISK_HEARTBEAT_TIMEOUT: '3',
            GALVANIC_CONDUCTOR__CHECK_PROVISION_STATE_INTERVAL: '1',
            GALVANIC_CONDUCTOR__DEPLOY_CALLBACK_TIMEOUT: String(DEPLOY_CALLBACK_TIMEOUT),
            GALVANIC_CONDUCTOR__CLEAN_CALLBACK_TIMEOUT: '60',
            GALVANIC_CONDUCTOR__INSPECT_WAIT_TIMEOUT: '60',
            GALVANIC_CONDUCTOR__AUTOMATED_CLEAN: 'true',
          },
        }),
        buildAgent(),
      ]);
      images = server;
      // An image server that takes the connection and never answers: the agent stays writing.
      stalled = createServer(() => undefined);
      await new Promise<void>((done) => stalled.listen(0, '127.0.0.1', done));
      stalledUrl = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/stalled.raw`;
      env = environment;
      const created = await api('POST', '/v1/nodes', {
        driver: 'fake-hardware',
        name: 'agent-host',
        deploy_interface: 'direct',
        inspect_interface: 'agent',
      });
      expect(created.status, created.text).toBe(201);
      nodeUuid = (created.body as NodeBody).uuid;
    }, 180_000);

    afterAll(async () => {
      agent?.kill('SIGKILL');
      await images?.close();
      stalled?.close();
      await env?.teardown();
      if (folder) await rm(folder, { recursive: true, force: true });
    });

    it('refuses lookups of a node that expects no agent, and heartbeats without its token', async () => {
      const byMac = await api('GET', `/v1/lookup?addresses=${MAC}`);
      expect(byMac.status).toBe(404);
      const byUuid = await api('GET', `/v1/lookup?node_uuid=${nodeUuid}`);
      expect(byUuid.status).toBe(404);
      const incomplete = await api('GET', '/v1/lookup?addresses=not-a-mac');
      expect(incomplete.status).toBe(400);
      expect(incomplete.text).toContain("At least one of 'addresses' and 'node_uuid'");
      const old = await api('GET', `/v1/lookup?node_uuid=${nodeUuid}`, undefined, 21);
      expect(old.status).toBe(404);
      const noToken = await api('POST', `/v1/heartbeat/${nodeUuid}`, {
        callback_url: 'http://127.0.0.1:9/',
      });
      expect(noToken.status).toBe(400);
      expect(noToken.text).toContain('Agent token is required for heartbeat processing.');
      const noNodeToken = await api('POST', `/v1/heartbeat/${nodeUuid}`, {
        callback_url: 'http://127.0.0.1:9/',
        agent_token: 'guess',
      });
      expect(noNodeToken.status).toBe(400);
      expect(noNodeToken.text).toContain('Invalid or missing agent token received.');
      const badUrl = await api('POST', `/v1/heartbeat/${nodeUuid}`, {
        callback_url: 'ftp://127.0.0.1/',
        agent_token: 'guess',
      });
      expect(badUrl.status).toBe(400);
    });

    it('inspects through the agent: inventory kept, properties and ports filled', async () => {
      // An inspection rule (1.96) reads the agent's inventory.
      const rule = await api(
        'POST',
        '/v1/inspection_rules',
        {
          conditions: [{ op: 'gt', args: { values: ['{inventory[disks][0][size]}', '0'] } }],
          actions: [
            {
              op: 'set-attribute',
              args: { path: '/extra/root_disk', value: '{inventory[disks][0][name]}' },
            },
          ],
        },
        96,
      );
      expect(rule.status, rule.text).toBe(201);
      await provision('manage');
      await waitForState('manageable');
      await provision('inspect');
      await waitForState('inspect wait');
      await bootAgent(true);
      const inspected = await waitForState('manageable');
      expect(inspected.last_error).toBeNull();
      expect(inspected.properties.cpus).toBeGreaterThan(0);
      expect(inspected.properties.memory_mb).toBeGreaterThan(0);
      expect(inspected.properties.cpu_arch).toBe('x86_64');
      expect(inspected.properties.local_gb).toBe(0);
      const ports = await api('GET', `/v1/nodes/${nodeUuid}/ports`);
      expect((ports.body as { ports: { address: string }[] }).ports.map((p) => p.address)).toEqual([
        MAC,
      ]);
      const inventory = await api('GET', `/v1/nodes/${nodeUuid}/inventory`, undefined, 81);
      expect(inventory.status, inventory.text).toBe(200);
      const data = inventory.body as { inventory: { disks: { name: string; size: number }[] } };
      expect(data.inventory.disks).toEqual([
        expect.objectContaining({ name: disk, size: DISK_BYTES }),
      ]);
      expect((await api('GET', `/v1/nodes/${nodeUuid}/inventory`, undefined, 80)).status).toBe(404);
      // The operator's view: `baremetal node inventory save` (python-ironicclient 5.10), to stdout
      // and to a file.
      const cli = ['--os-auth-type', 'none', '--os-endpoint', env.apiUrl];
      const printed = await newerBaremetalWith(cli, 'node', 'inventory', 'save', 'agent-host');
      expect(printed.code, printed.stderr).toBe(0);
      expect(JSON.parse(printed.stdout)).toEqual(inventory.body);
      const saved = join(folder, 'inventory.json');
      const toFile = await newerBaremetalWith(
        cli,
        'node',
        'inventory',
        'save',
        '--file',
        saved,
        nodeUuid,
      );
      expect(toFile.code, toFile.stderr).toBe(0);
      expect(JSON.parse(await readFile(saved, 'utf8'))).toEqual(inventory.body);
      expect(inspected.driver_internal_info).not.toHaveProperty('agent_secret_token');
      const shown = await api('GET', `/v1/nodes/${nodeUuid}`, undefined, 96);
      expect((shown.body as { extra: Record<string, unknown> }).extra.root_disk).toBe(disk);
      const ruleUuid = (rule.body as { uuid: string }).uuid;
      expect((await api('DELETE', `/v1/inspection_rules/${ruleUuid}`, undefined, 96)).status).toBe(
        204,
      );
    });

    it('cleans on provide: the agent erases the disk metadata, and its token is wiped after', async () => {
      const file = await open(disk, 'r+');
      await file.write(raw.subarray(0, 1024 * 1024), 0);
      await file.close();
      await provision('provide');
      await waitForState('clean wait');
      await bootAgent();
      const available = await waitForState('available');
      expect(available.last_error).toBeNull();
      expect((await readDisk(0, 1024 * 1024)).equals(Buffer.alloc(1024 * 1024))).toBe(true);
      expect(available.driver_internal_info).not.toHaveProperty('agent_secret_token');
      expect(available.driver_internal_info).not.toHaveProperty('agent_url');
      expect(agent!.output()).toContain('erase_devices_metadata on');
    });

    it('deploys a qcow2 image with a config drive through the agent', async () => {
      const qcow2 = await readFile(join(folder, 'image.qcow2'));
      const configDrive = Buffer.alloc(64 * 1024, 'config-2 drive ');
      const patch = await api('PATCH', `/v1/nodes/${nodeUuid}`, [
        {
          op: 'add',
          path: '/instance_info',
          value: {
            image_source: `${images.url}/image.qcow2`,
            image_os_hash_algo: 'sha256',
            image_os_hash_value: sha256(qcow2),
            image_disk_format: 'qcow2',
          },
        },
      ]);
      expect(patch.status, patch.text).toBe(200);
      await provision('active', { configdrive: gzipSync(configDrive).toString('base64') });
      await waitForState('wait call-back');
      await bootAgent();
      const active = await waitForState('active');
      expect(active.last_error).toBeNull();
      expect(active.driver_internal_info).not.toHaveProperty('agent_secret_token');
      expect((await readDisk(0, IMAGE_BYTES)).subarray(512).equals(raw.subarray(512))).toBe(true);
      const mbr = await readDisk(0, 512);
      const second = 446 + 16;
      expect(mbr[second + 4]).toBe(0x83);
      const start = mbr.readUInt32LE(second + 8);
      expect(start * 512).toBeGreaterThanOrEqual(IMAGE_BYTES);
      expect((await readDisk(start * 512, configDrive.length)).equals(configDrive)).toBe(true);
      expect(agent!.output()).toContain('standby.prepare_image SUCCEEDED');
    });

    it('undeploys: automated cleaning erases the disk again', async () => {
      await provision('deleted');
      await waitForState('clean wait');
      await bootAgent();
      const available = await waitForState('available');
      expect(available.last_error).toBeNull();
      expect((await readDisk(0, 512)).equals(Buffer.alloc(512))).toBe(true);
    });

    it("fails a deploy whose image does not match its checksum, with the agent's error", async () => {
      const patch = await api('PATCH', `/v1/nodes/${nodeUuid}`, [
        {
          op: 'add',
          path: '/instance_info',
          value: {
            image_source: `${images.url}/image.raw`,
            image_os_hash_algo: 'sha256',
            image_os_hash_value: sha256(Buffer.from('something else')),
            image_disk_format: 'raw',
          },
        },
      ]);
      expect(patch.status, patch.text).toBe(200);
      await provision('active');
      await waitForState('wait call-back');
      await bootAgent();
      const failed = await waitForState('deploy failed');
      expect(failed.last_error).toContain('standby.prepare_image failed');
      expect(failed.last_error).toContain('checksum mismatch');
      expect(failed.driver_internal_info).not.toHaveProperty('agent_secret_token');
      expect((await readDisk(0, 512)).equals(Buffer.alloc(512))).toBe(true);
    });

    it('keeps the token secret while an agent works, and fails a deploy whose agent stops heartbeating after deploy_callback_timeout', async () => {
      const patch = await api('PATCH', `/v1/nodes/${nodeUuid}`, [
        {
          op: 'add',
          path: '/instance_info',
          value: {
            image_source: stalledUrl,
            image_os_hash_algo: 'sha256',
            image_os_hash_value: sha256(raw),
          },
        },
      ]);
      expect(patch.status, patch.text).toBe(200);
      await provision('active');
      await waitForState('wait call-back');
      await bootAgent();
      await waitFor(
        'the agent to write the image',
        (body) =>
          body.deploy_step.step === 'write_image' && body.provision_state === 'wait call-back',
      );
      const waiting = await node();
      // The token never shows; a second lookup does not hand it out again; a wrong one is refused.
      expect(waiting.driver_internal_info.agent_secret_token).toBe('******');
      const again = await api('GET', `/v1/lookup?addresses=${MAC}`);
      expect(again.status, again.text).toBe(200);
      expect(again.body).toMatchObject({
        node: { uuid: nodeUuid, driver_internal_info: { agent_secret_token: '******' } },
        config: { agent_token: '******', agent_token_required: true, heartbeat_timeout: 3 },
      });
      const wrong = await api('POST', `/v1/heartbeat/${nodeUuid}`, {
        callback_url: waiting.driver_internal_info.agent_url,
        agent_token: 'not-the-token',
      });
      expect(wrong.status).toBe(400);
      expect(wrong.text).toContain('Invalid or missing agent token received.');
      const moved = await api('POST', `/v1/heartbeat/${nodeUuid}`, {
        callback_url: 'http://127.0.0.1:9/',
        agent_token: 'not-the-token',
      });
      expect(moved.status).toBe(400);
      expect(moved.text).toContain('Detected change in ramdisk provided');
      agent!.kill('SIGKILL');
      const failed = await waitForState('deploy failed', (DEPLOY_CALLBACK_TIMEOUT + 30) * 1000);
      expect(failed.last_error).toContain('Timeout reached while waiting for the agent');
      expect(failed.last_error).toContain('write_image');
      expect(failed.last_error).toContain('deploy_callback_timeout');
    }, 90_000);
  },
);
