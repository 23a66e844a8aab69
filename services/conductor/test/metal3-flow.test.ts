/**
 * The Metal3 flow: the API calls metal3-io/baremetal-operator's ironic provisioner makes for one
 * BareMetalHost, in its order and at the microversion it picks, sent as plain HTTP from this
 * test (not through gophercloud: Debian's gophercloud 0.12 predates the virtual media calls and
 * the version negotiation BMO uses, so most of the flow would be raw requests anyway; here each
 * request body is written out as BMO's gophercloud v2 serialises it). Galvanic runs in split
 * mode (api + two conductors over RabbitMQ, real PostgreSQL), the BMC is the Redfish emulator.
 *
 * The sequence, read from baremetal-operator (pkg/provisioner/ironic/…, main branch):
 *  1. clients/features.go, factory.go: GET the endpoint `/v1/` with version 1.89 (its baseline,
 *     sent by gophercloud's GetSupportedMicroversions); refuse a server whose maximum is below
 *     1.89; then use 1.110 if offered, else 1.109, 1.95, 1.93, else 1.89, for every request.
 *  2. register.go enrollNode + hardwareutils/bmc/redfish_virtualmedia.go: POST /v1/nodes with
 *     driver `redfish`, boot_interface `redfish-virtual-media`, inspect_interface `agent`,
 *     firmware_interface and raid_interface `redfish`, disable_power_off false, properties
 *     {capabilities "boot_mode:uefi", cpu_arch}, and driver_info from the
 *     `redfish-virtualmedia+http://host/redfish/v1/Systems/1` address (redfish_address =
 *     scheme://host, redfish_system_id = the path, username, password).
 *  3. ironic.go configureNode: PATCH driver_info deploy_kernel / deploy_ramdisk (BMO's
 *     DEPLOY_KERNEL_URL / DEPLOY_RAMDISK_URL), automated_clean true; then register.go: PUT
 *     provision `manage`, poll until `manageable`.
 *  4. inspecthardware.go: PUT `inspect`, poll `inspect wait` → `manageable`, then
 *     GET /v1/nodes/{node}/inventory for the hardware details.
 *  5. ironic.go Provision (node manageable): PUT `provide`, poll through cleaning → `available`.
 *  6. ironic.go setUpForProvisioning: PATCH instance_uuid, instance_info capabilities,
 *     image_source, image_disk_format, image_os_hash_algo + image_os_hash_value, and
 *     driver_info force_persistent_boot_device "Default"; GET /validate (boot and deploy must
 *     pass); PUT `active` with `configdrive` as JSON (meta_data with BMO's keys, user_data);
 *     poll `provision_state` until `active`.
 *  7. ironic.go AttachDataImage / GetDataImageStatus / DetachDataImage: POST /vmedia
 *     {device_type cdrom, image_url}, GET /vmedia (1.93) until inserted, DELETE
 *     /vmedia?device_types=cdrom, GET until not inserted.
 *  8. ironic.go Deprovision: PUT `deleted` (undeploy), poll through cleaning → `available`.
 *  9. ironic.go Delete/realDelete: on an available node, PATCH away a stale instance_uuid if
 *     any, then DELETE /v1/nodes/{node}.
 *
 * The machine: the emulator's System is a simulated host, so what would run on it — the deploy
 * ramdisk booted from the virtual CD — is played by `AgentBehindVirtualCd` below: each time the
 * System boots with the CD as its boot target and media inserted, it fetches that ISO (the one
 * Galvanic built and serves), reads the kernel command line from its ISOLINUX config, and starts
 * the Galvanic agent as a host process with it (so the agent learns ipa-api-url and, for
 * inspection, ipa-inspection-callback-url from the ISO, as a booted ramdisk would); the host's
 * disk is an image file. Power off or the next boot stops that agent.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, open, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  readFileRange,
  wholeDiskImage,
  buildAgent,
  createSplit,
  freePort,
  startImageServer,
  startHostAgent,
  type ImageServer,
  type HttpResult,
  type ServiceProcess,
  type SplitEnvironment,
} from '@galvanic/testing';
import {
  simulatedBackend,
  startRedfishFleet,
  type EmulatedSystemHandle,
  type MemorySystemBackend,
  type RedfishEmulator,
} from '@galvanic/redfish-emulator/testing';

const run = promisify(execFile);

/** BMO's baseline: it refuses any server whose maximum is below 1.89. */
const BMO_BASELINE_MINOR = 89;
const DISK_BYTES = 16 * 1024 * 1024;
const IMAGE_BYTES = 4 * 1024 * 1024;
const STATE_TIMEOUT_MS = 60_000;

/** clients/features.go ChooseMicroversion: the newest of the versions BMO knows how to use. */
function bmoMicroversion(serverMaxMinor: number): number {
  for (const minor of [110, 109, 95, 93]) if (serverMaxMinor >= minor) return minor;
  return BMO_BASELINE_MINOR;
}

/** hardwareutils/bmc/redfish.go DriverInfo for a `redfish-virtualmedia+<scheme>://…` address. */
function redfishVirtualMediaDriverInfo(
  bmcAddress: string,
  username: string,
  password: string,
): Record<string, string> {
  const [type, rest] = bmcAddress.split('://') as [string, string];
  const scheme = type.split('+')[1] ?? 'https';
  const url = new URL(`${scheme}://${rest}`);
  const info: Record<string, string> = {
    redfish_username: username,
    redfish_password: password,
    redfish_address: `${scheme}://${url.host}`,
  };
  const trimmed = url.pathname.replace(/^\/+|\/+$/g, '');
  if (trimmed !== '' && trimmed !== 'redfish/v1') info.redfish_system_id = url.pathname;
  return info;
}

/**
 * Test glue standing in for the host behind the emulated BMC: when the System boots from its
 * virtual CD, the deploy ramdisk on that CD "runs" as a Galvanic agent host process configured
 * by the ISO's own kernel command line; when it powers off or boots again, that agent stops.
 */
class AgentBehindVirtualCd {
  readonly booted: string[] = [];
  /** What every agent started so far printed, oldest first. */
  private finishedOutput = '';
  private agent: ServiceProcess | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;
  private readonly powerWatch: NodeJS.Timeout;
  private failure: unknown;

  constructor(
    private readonly backend: MemorySystemBackend,
    private readonly host: { disk: string; macs: readonly string[]; folder: string },
  ) {
    this.unsubscribe = backend.onBoot(() => this.serially(() => this.boot()));
    this.powerWatch = setInterval(() => {
      if (this.agent && backend.powerState() === 'Off') void this.serially(() => this.stop());
    }, 100);
  }

  /** What the agent printed, and the glue's own failure if it had one, for error messages. */
  describe(): string {
    return `${this.failure ? `glue failed: ${String(this.failure)}\n` : ''}${this.output()}`;
  }

  output(): string {
    return this.finishedOutput + (this.agent?.output() ?? '');
  }

  async close(): Promise<void> {
    this.unsubscribe();
    clearInterval(this.powerWatch);
    await this.serially(() => this.stop());
  }

  private serially(work: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(work).catch((error: unknown) => {
      this.failure = error;
    });
    return this.chain;
  }

  private async stop(): Promise<void> {
    const agent = this.agent;
    this.agent = undefined;
    agent?.kill('SIGKILL');
    await agent?.exited();
    this.finishedOutput += agent?.output() ?? '';
  }

  private async boot(): Promise<void> {
    await this.stop();
    const cd = this.backend.media('Cd');
    if (this.backend.bootOverride().target !== 'Cd' || !cd.inserted || !cd.image) return;
    this.booted.push(cd.image);
    const iso = join(this.host.folder, 'booted.iso');
    const answer = await fetch(cd.image).catch((error: unknown) => {
      throw new Error(`the BMC could not fetch ${cd.image}: ${String(error)}`);
    });
    if (!answer.ok) throw new Error(`the BMC could not fetch ${cd.image}: ${answer.status}`);
    await writeFile(iso, Buffer.from(await answer.arrayBuffer()));
    const config = join(this.host.folder, 'isolinux.cfg');
    await rm(config, { force: true });
    // prettier-ignore
    await run('xorriso', [
      '-osirrox', 'on', '-indev', iso, '-extract', '/isolinux/isolinux.cfg', config,
    ], { timeout: 30_000 });
    const append = /^\s*append\s+(.*)$/m.exec(await readFile(config, 'utf8'))?.[1] ?? '';
    const cmdline = join(this.host.folder, 'cmdline');
    await writeFile(cmdline, append);
    this.agent = await startHostAgent({
      cmdline,
      disks: [this.host.disk],
      macs: this.host.macs,
      tempDir: this.host.folder,
    });
  }
}

interface NodeBody {
  uuid: string;
  name: string;
  provision_state: string;
  target_provision_state: string | null;
  last_error: string | null;
  instance_uuid: string | null;
  properties: Record<string, unknown>;
  instance_info: Record<string, unknown>;
}

interface VirtualMediaDevice {
  image: string | null;
  inserted: boolean;
  media_types: string[];
}

describe(
  'the Metal3 flow (baremetal-operator’s API calls) in split mode with the Redfish emulator',
  { timeout: 90_000 },
  () => {
    let env: SplitEnvironment;
    let bmc: RedfishEmulator;
    let system: EmulatedSystemHandle;
    let files: ImageServer;
    let host: AgentBehindVirtualCd;
    let folder: string;
    let disk: string;
    let minor = BMO_BASELINE_MINOR;
    let nodeUuid = '';
    const httpRoots: string[] = [];
    const raw = wholeDiskImage(IMAGE_BYTES, 'metal3-image-block');
    const instanceUuid = '6f1b1d4e-2c7a-4e1b-9a57-3c1f0d5e8a21';

    const api = (method: string, path: string, body?: unknown): Promise<HttpResult> =>
      apiRequest(env.apiUrl, method, path, { minor, ...(body === undefined ? {} : { body }) });
    const node = async () => (await api('GET', `/v1/nodes/${nodeUuid}`)).body as NodeBody;
    const ok = (answer: HttpResult, status: number) =>
      expect(answer.status, `${answer.status} ${answer.text}`).toBe(status);
    const provision = async (target: string, extra: Record<string, unknown> = {}) =>
      ok(await api('PUT', `/v1/nodes/${nodeUuid}/states/provision`, { target, ...extra }), 202);
    /** BMO polls GET /v1/nodes/{node} and acts on provision_state; so does this. */
    const waitForState = async (state: string): Promise<NodeBody> => {
      const until = Date.now() + STATE_TIMEOUT_MS;
      let last = await node();
      while (last.provision_state !== state || last.target_provision_state !== null) {
        if (/failed$|^error$/.test(last.provision_state) && !state.endsWith('failed')) {
          throw new Error(
            `node went to ${last.provision_state}: ${last.last_error}\n${host.describe()}`,
          );
        }
        if (Date.now() > until) {
          throw new Error(
            `timed out waiting for ${state}: ${JSON.stringify(last)}\n${host.describe()}`,
          );
        }
        await new Promise((done) => setTimeout(done, 250));
        last = await node();
      }
      return last;
    };
    const readDisk = (offset: number, length: number) => readFileRange(disk, offset, length);

    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'galvanic-metal3-'));
      disk = join(folder, 'disk.img');
      await writeFile(disk, Buffer.alloc(DISK_BYTES));
      await writeFile(join(folder, 'image.raw'), raw);
      // The deploy kernel and ramdisk are never executed (the agent plays the ramdisk), but
      // Galvanic downloads them and builds the boot ISO from them for real.
      await writeFile(join(folder, 'ipa.kernel'), 'deploy kernel');
      await writeFile(join(folder, 'ipa.initramfs'), 'deploy ramdisk');
      await writeFile(join(folder, 'data-image.iso'), 'a Metal3 DataImage');
      const apiPort = await freePort();
      const httpPorts = new Map<string, number>();
      for (const conductor of ['c1', 'c2']) {
        httpPorts.set(conductor, await freePort());
        httpRoots.push(await mkdtemp(join(tmpdir(), `galvanic-metal3-${conductor}-`)));
      }
      const [server, emulator, split] = await Promise.all([
        startImageServer(folder),
        startRedfishFleet(1),
        createSplit({
          apiPort,
          env: {
            GALVANIC_AGENT__API_URL: `http://127.0.0.1:${apiPort}`,
            GALVANIC_API__RAMDISK_HEARTBEAT_TIMEOUT: '3',
            GALVANIC_CONDUCTOR__CHECK_PROVISION_STATE_INTERVAL: '1',
            GALVANIC_CONDUCTOR__DEPLOY_CALLBACK_TIMEOUT: '60',
            GALVANIC_CONDUCTOR__CLEAN_CALLBACK_TIMEOUT: '60',
            GALVANIC_CONDUCTOR__INSPECT_WAIT_TIMEOUT: '60',
          },
          conductorEnv: (conductor) => {
            const index = ['c1', 'c2'].indexOf(conductor);
            const port = httpPorts.get(conductor)!;
            return {
              GALVANIC_DEPLOY__SERVE_HTTP_ROOT: 'true',
              GALVANIC_DEPLOY__HTTP_ROOT: httpRoots[index]!,
              GALVANIC_DEPLOY__HTTP_URL: `http://127.0.0.1:${port}`,
              GALVANIC_DEPLOY__HTTP_SERVER_PORT: String(port),
            };
          },
        }),
        buildAgent(),
      ]);
      files = server;
      bmc = emulator;
      env = split;
      system = bmc.systems[0]!;
      host = new AgentBehindVirtualCd(simulatedBackend(system), {
        disk,
        macs: system.macAddresses,
        folder,
      });
    }, 240_000);

    afterAll(async () => {
      await host?.close();
      await env?.teardown();
      await bmc?.close();
      await files?.close();
      for (const dir of [folder, ...httpRoots])
        if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('negotiates the microversion as BMO does: the maximum of GET /v1/ must be 1.89 or more', async () => {
      // gophercloud's GetSupportedMicroversions, with BMO's client still at its baseline.
      const answer = await apiRequest(env.apiUrl, 'GET', '/v1/', { minor: BMO_BASELINE_MINOR });
      const announced = (answer.body as { version?: { version?: string; min_version?: string } })
        ?.version;
      const max = /^1\.(\d+)$/.exec(announced?.version ?? '');
      if (answer.status !== 200 || !max || Number(max[1]) < BMO_BASELINE_MINOR) {
        throw new Error(
          `Metal3 refuses this server: baremetal-operator needs Ironic API 1.${BMO_BASELINE_MINOR} or newer, ` +
            `and GET /v1/ at 1.${BMO_BASELINE_MINOR} answered ${answer.status} announcing ${announced?.version ?? answer.headers['x-openstack-ironic-api-maximum-version'] ?? 'no version'}`,
        );
      }
      expect(announced?.min_version).toBe('1.1');
      minor = bmoMicroversion(Number(max[1]));
      expect(minor).toBeGreaterThanOrEqual(BMO_BASELINE_MINOR);
    });

    it('registers the host with a redfish-virtualmedia address and makes it manageable', async () => {
      const bmcAddress = `redfish-virtualmedia+${bmc.url}${system.path}`;
      const created = await api('POST', '/v1/nodes', {
        driver: 'redfish',
        boot_interface: 'redfish-virtual-media',
        inspect_interface: 'agent',
        firmware_interface: 'redfish',
        raid_interface: 'redfish',
        name: 'metal3~host-0',
        driver_info: redfishVirtualMediaDriverInfo(
          bmcAddress,
          bmc.credentials.username,
          bmc.credentials.password,
        ),
        disable_power_off: false,
        properties: { capabilities: 'boot_mode:uefi', cpu_arch: 'x86_64' },
      });
      ok(created, 201);
      const body = created.body as NodeBody & {
        boot_interface: string;
        deploy_interface: string;
        driver_info: Record<string, unknown>;
      };
      nodeUuid = body.uuid;
      expect(body).toMatchObject({
        provision_state: 'enroll',
        boot_interface: 'redfish-virtual-media',
        deploy_interface: 'direct',
        driver_info: {
          redfish_address: bmc.url,
          redfish_system_id: system.path,
          redfish_password: '******',
        },
      });
      ok(
        await api('PATCH', `/v1/nodes/${nodeUuid}`, [
          { op: 'add', path: '/driver_info/deploy_kernel', value: `${files.url}/ipa.kernel` },
          { op: 'add', path: '/driver_info/deploy_ramdisk', value: `${files.url}/ipa.initramfs` },
          { op: 'replace', path: '/automated_clean', value: true },
        ]),
        200,
      );
      await provision('manage');
      const managed = await waitForState('manageable');
      expect(managed.last_error).toBeNull();
    });

    it('checks a target RAID configuration with the redfish RAID interface', async () => {
      expect(await node()).toMatchObject({
        firmware_interface: 'redfish',
        raid_interface: 'redfish',
      });
      const scsi = await api('PUT', `/v1/nodes/${nodeUuid}/states/raid`, {
        logical_disks: [{ size_gb: 100, raid_level: '1', interface_type: 'scsi' }],
      });
      ok(scsi, 400);
      expect(scsi.text).toContain('interface type `scsi` not supported by Redfish RAID');
      const mirror = { logical_disks: [{ size_gb: 100, raid_level: '1', is_root_volume: true }] };
      ok(await api('PUT', `/v1/nodes/${nodeUuid}/states/raid`, mirror), 204);
      expect(
        ((await node()) as NodeBody & { target_raid_config: unknown }).target_raid_config,
      ).toEqual(mirror);
    });

    it('inspects through the agent booted from the virtual CD, then reads the inventory', async () => {
      await provision('inspect');
      const inspected = await waitForState('manageable');
      expect(inspected.last_error).toBeNull();
      expect(host.booted.at(-1)).toMatch(new RegExp(`/${nodeUuid}/deploy\\.iso$`));
      expect(inspected.properties).toMatchObject({ cpu_arch: 'x86_64' });
      expect(inspected.properties.memory_mb).toBeGreaterThan(0);
      const inventory = await api('GET', `/v1/nodes/${nodeUuid}/inventory`);
      ok(inventory, 200);
      const { interfaces } = (
        inventory.body as { inventory: { interfaces: { mac_address: string }[] } }
      ).inventory;
      expect(interfaces.map((nic) => nic.mac_address)).toEqual(system.macAddresses);
      // After inspection the redfish firmware interface has read the BMC's versions.
      const firmware = await api('GET', `/v1/nodes/${nodeUuid}/firmware`);
      ok(firmware, 200);
      const { firmware: components } = firmware.body as {
        firmware: { component: string; current_version: string }[];
      };
      const versions = system.state().firmware;
      expect(components.map((c) => [c.component, c.current_version]).sort()).toEqual([
        ['bios', versions.bios],
        ['bmc', versions.bmc],
      ]);
    });

    it('provides the host: automated cleaning through the agent erases the disk', async () => {
      const file = await open(disk, 'r+');
      await file.write(Buffer.alloc(4096, 'old data'), 0);
      await file.close();
      await provision('provide');
      const available = await waitForState('available');
      expect(available.last_error).toBeNull();
      expect((await readDisk(0, 4096)).equals(Buffer.alloc(4096))).toBe(true);
    });

    it('deploys the image with a JSON config drive, polling provision_state to active', async () => {
      const sha256 = createHash('sha256').update(raw).digest('hex');
      ok(
        await api('PATCH', `/v1/nodes/${nodeUuid}`, [
          { op: 'add', path: '/instance_uuid', value: instanceUuid },
          { op: 'add', path: '/instance_info/capabilities', value: { boot_mode: 'uefi' } },
          { op: 'add', path: '/instance_info/image_source', value: `${files.url}/image.raw` },
          { op: 'add', path: '/instance_info/image_disk_format', value: 'raw' },
          { op: 'add', path: '/instance_info/image_os_hash_algo', value: 'sha256' },
          { op: 'add', path: '/instance_info/image_os_hash_value', value: sha256 },
          { op: 'add', path: '/driver_info/force_persistent_boot_device', value: 'Default' },
        ]),
        200,
      );
      const validation = await api('GET', `/v1/nodes/${nodeUuid}/validate`);
      ok(validation, 200);
      expect(validation.body).toMatchObject({ boot: { result: true }, deploy: { result: true } });

      await provision('active', {
        configdrive: {
          meta_data: {
            uuid: instanceUuid,
            'metal3-namespace': 'metal3',
            'metal3-name': 'host-0',
            'local-hostname': 'host-0',
            local_hostname: 'host-0',
            name: 'host-0',
          },
          user_data: '#cloud-config\nhostname: host-0\n',
        },
      });
      const active = await waitForState('active');
      expect(active.last_error).toBeNull();
      expect(active.instance_uuid).toBe(instanceUuid);
      expect(system.state().powerState).toBe('On');
      expect(system.state().media['Cd']?.inserted).toBe(false);

      expect((await readDisk(0, IMAGE_BYTES)).subarray(512).equals(raw.subarray(512))).toBe(true);
      // The config drive went to a partition after the image: an ISO 9660 labelled config-2
      // holding BMO's meta_data and user_data.
      const mbr = await readDisk(0, 512);
      const start = mbr.readUInt32LE(446 + 16 + 8) * 512;
      expect(start).toBeGreaterThanOrEqual(IMAGE_BYTES);
      const drive = await readDisk(start, DISK_BYTES - start);
      expect(drive.subarray(32769, 32774).toString('latin1')).toBe('CD001');
      expect(drive.subarray(32808, 32816).toString('latin1')).toBe('config-2');
      const text = drive.toString('latin1');
      expect(text).toContain('"metal3-name":"host-0"');
      expect(text).toContain(`"uuid":"${instanceUuid}"`);
      expect(text).toContain('#cloud-config\nhostname: host-0');
    });

    it('attaches a data image as a virtual CD, lists it, and detaches it', async () => {
      const image = `${files.url}/data-image.iso`;
      ok(
        await api('POST', `/v1/nodes/${nodeUuid}/vmedia`, {
          device_type: 'cdrom',
          image_url: image,
        }),
        204,
      );
      const cdrom = async () =>
        ((await api('GET', `/v1/nodes/${nodeUuid}/vmedia`)).body as VirtualMediaDevice[]).find(
          (device) => device.media_types.includes('CD'),
        );
      const waitForCd = async (inserted: boolean) => {
        const until = Date.now() + STATE_TIMEOUT_MS;
        let device = await cdrom();
        while (device?.inserted !== inserted) {
          if (Date.now() > until) {
            throw new Error(
              `the CD is not ${inserted ? 'in' : 'out'}: ${(await node()).last_error}`,
            );
          }
          await new Promise((done) => setTimeout(done, 250));
          device = await cdrom();
        }
        return device;
      };
      const inserted = await waitForCd(true);
      expect(inserted.image).toBeTruthy();
      expect(system.state().media['Cd']?.inserted).toBe(true);
      ok(await api('DELETE', `/v1/nodes/${nodeUuid}/vmedia?device_types=cdrom`), 204);
      await waitForCd(false);
      expect(system.state().media['Cd']?.inserted).toBe(false);
      expect((await node()).provision_state).toBe('active');
    });

    it('undeploys: the node is cleaned through the agent and available again', async () => {
      await provision('deleted');
      const available = await waitForState('available');
      expect(available.last_error).toBeNull();
      expect((await readDisk(0, 512)).equals(Buffer.alloc(512))).toBe(true);
    });

    it('deletes the host', async () => {
      const current = await node();
      if (current.instance_uuid) {
        ok(
          await api('PATCH', `/v1/nodes/${nodeUuid}`, [{ op: 'remove', path: '/instance_uuid' }]),
          200,
        );
      }
      ok(await api('DELETE', `/v1/nodes/${nodeUuid}`), 204);
      expect((await api('GET', `/v1/nodes/${nodeUuid}`)).status).toBe(404);
    });
  },
);
