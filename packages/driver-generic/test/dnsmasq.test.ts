/**
 * The dnsmasq DHCP provider against a real dnsmasq (Debian's `dnsmasq-base`): it reads the host
 * entries and options the `ipxe` boot writes, picks up new and changed ones without a restart,
 * and, in a network namespace of the test's own with a veth pair, answers a DHCP client (busybox
 * `udhcpc`) with the boot file configured for that client's MAC.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInterface, makeTask } from '@galvanic/driver-sdk/testing';
import type { TaskContext } from '@galvanic/driver-sdk';
import { IpxeBoot } from '../src';
import { recordingManagement } from './support';

const run = promisify(execFile);

const DNSMASQ = '/usr/sbin/dnsmasq';
/** The documentation network (RFC 5737): addresses that exist only inside the test's namespace. */
const SERVER_ADDRESS = '192.0.2.1';
const HTTP_URL = `http://${SERVER_ADDRESS}:8080`;
const NODE_MAC = '52:54:00:d4:c0:01';
const OTHER_MAC = '52:54:00:d4:c0:02';
/** The DHCP option iPXE sends (175, its encapsulated options), as `udhcpc -x` takes it. */
const IPXE_OPTION = '0xaf:01';

function dnsmasqMissing(): boolean {
  if (existsSync(DNSMASQ)) return false;
  console.warn('SKIPPED: the real-dnsmasq tests need dnsmasq (apt-get install dnsmasq-base)');
  return true;
}

/** Why this machine cannot make a network namespace with a veth pair, or undefined if it can. */
function namespacesUnavailable(): string | undefined {
  if (!existsSync(DNSMASQ)) return 'dnsmasq is missing';
  const probe = `galvanic-probe-${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe', timeout: 10_000 });
    try {
      // prettier-ignore
      execFileSync('ip', ['-n', probe, 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1'], {
        stdio: 'pipe', timeout: 10_000,
      });
    } finally {
      execFileSync('ip', ['netns', 'delete', probe], { stdio: 'pipe', timeout: 10_000 });
    }
    return undefined;
  } catch (error) {
    const reason = (error as { stderr?: Buffer }).stderr?.toString().trim() || String(error);
    console.warn(
      `SKIPPED: DHCP from a real dnsmasq needs a network namespace and a veth pair (root, iproute2), which this machine refused: ${reason}`,
    );
    return reason;
  }
}

/** A UDP port nothing listens on just now. */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** A running dnsmasq and everything it logged so far. */
interface Dnsmasq {
  readonly child: ChildProcess;
  log(): string;
  /** Resolves once `text` (a whole line's end) was logged `times` times in all. */
  waitForLog(text: string | RegExp, times?: number): Promise<void>;
  count(text: string | RegExp): number;
  stop(): Promise<void>;
}

function startDnsmasq(command: readonly string[], configFile: string): Dnsmasq {
  // prettier-ignore
  const child = spawn(command[0] ?? DNSMASQ, [
    ...command.slice(1),
    '--keep-in-foreground', `--conf-file=${configFile}`, '--log-facility=-', '--pid-file=',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const count = (wanted: string | RegExp) =>
    typeof wanted === 'string'
      ? text.split('\n').filter((line) => line.endsWith(wanted)).length
      : text.split('\n').filter((line) => wanted.test(line)).length;
  return {
    child,
    log: () => text,
    count,
    async waitForLog(wanted, times = 1) {
      const deadline = Date.now() + 15_000;
      while (count(wanted) < times) {
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(
            `dnsmasq never logged ${String(wanted)} ${times} times; its log:\n${text}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The `ipxe` boot with the dnsmasq provider, a test HTTP server as the kernel and ramdisk source. */
async function bootFixture() {
  const root = await mkdtemp(join(tmpdir(), 'galvanic-dnsmasq-'));
  // dnsmasq reads the directories after dropping root for its own user (nobody).
  await chmod(root, 0o755);
  const hostsdir = join(root, 'hosts');
  const optsdir = join(root, 'opts');
  await Promise.all([mkdir(hostsdir), mkdir(optsdir)]);
  const images: Server = createServer((request, response) => {
    if (request.url === '/kernel' || request.url === '/ramdisk') response.end(request.url);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', () => resolve()));
  const imageBase = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
  const boot = buildInterface(IpxeBoot, {
    deploy: { http_root: join(root, 'httpboot'), http_url: HTTP_URL },
    dhcp: { dhcp_provider: 'dnsmasq' },
    dnsmasq: { dhcp_hostsdir: hostsdir, dhcp_optsdir: optsdir },
  });
  const task: TaskContext = makeTask({
    interfaces: { management: recordingManagement([]) },
    node: {
      ports: [{ uuid: 'p1', address: NODE_MAC.toUpperCase(), pxeEnabled: true }],
      driverInfo: { deploy_kernel: `${imageBase}/kernel`, deploy_ramdisk: `${imageBase}/ramdisk` },
    },
  });
  return {
    root,
    hostsdir,
    optsdir,
    boot,
    task,
    prepare: () => boot.prepareRamdisk(task, {}),
    cleanUp: () => boot.cleanUpRamdisk(task),
    async close() {
      await new Promise<void>((resolve) => images.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

type BootFixture = Awaited<ReturnType<typeof bootFixture>>;

/** What Ironic's dnsmasq needs besides the two directories: iPXE's requests tagged `ipxe`. */
function dnsmasqConfig(fixture: BootFixture, lines: readonly string[]): string {
  return [
    'port=0',
    'bind-interfaces',
    'dhcp-match=set:ipxe,175',
    `dhcp-hostsdir=${fixture.hostsdir}`,
    `dhcp-optsdir=${fixture.optsdir}`,
    `dhcp-leasefile=${join(fixture.root, 'leases')}`,
    'log-dhcp',
    ...lines,
    '',
  ].join('\n');
}

describe.skipIf(dnsmasqMissing())('a real dnsmasq reading the provider files', () => {
  let fixture: BootFixture;
  let dnsmasq: Dnsmasq | undefined;

  beforeAll(async () => {
    fixture = await bootFixture();
  });
  afterAll(async () => {
    await dnsmasq?.stop();
    await fixture?.close();
  });

  it('accepts the configuration, reads the entries at start, and picks up new ones and SIGHUP', async () => {
    const config = join(fixture.root, 'dnsmasq.conf');
    // Loopback only, and not on port 67, which a DHCP server of the host's may hold: dnsmasq
    // reads the directories whether or not a DHCP client ever comes.
    const port = await freeUdpPort();
    await writeFile(
      config,
      dnsmasqConfig(fixture, [
        'interface=lo',
        'dhcp-range=127.0.0.100,127.0.0.150,255.0.0.0',
        `dhcp-alternate-port=${port},${port + 1}`,
      ]),
    );
    const checked = await run(DNSMASQ, ['--test', `--conf-file=${config}`]);
    expect(`${checked.stdout}${checked.stderr}`).toContain('syntax check OK');

    await fixture.prepare();
    const uuid = fixture.task.node.uuid;
    const hostFile = join(fixture.hostsdir, NODE_MAC);
    const optsFile = join(fixture.optsdir, uuid);
    dnsmasq = startDnsmasq([DNSMASQ], config);
    await dnsmasq.waitForLog(`read ${hostFile}`);
    await dnsmasq.waitForLog(`read ${optsFile}`);

    // A clean-up changes the entry in place: dnsmasq's inotify watch rereads it.
    await fixture.cleanUp();
    await dnsmasq.waitForLog(`inotify: ${hostFile} new or modified`);
    await dnsmasq.waitForLog(`read ${hostFile}`, 2);

    // SIGHUP rereads the directories whole.
    dnsmasq.child.kill('SIGHUP');
    await dnsmasq.waitForLog(`read ${hostFile}`, 3);
    // dnsmasq says it cannot reread the options file clean-up removed; nothing else went wrong.
    const removal = `cannot read ${optsFile}: No such file or directory`;
    const log = dnsmasq.log();
    expect(log).toContain(removal);
    expect(log.replaceAll(removal, '')).not.toMatch(/bad |error|cannot|failed/i);
    // The provider's temporary files are dotfiles, which dnsmasq skips.
    expect(log).not.toContain('.tmp-');
  }, 60_000);
});

const noNamespaces = namespacesUnavailable();

describe.skipIf(noNamespaces !== undefined)(
  'a machine taking DHCP from a real dnsmasq in a network namespace',
  () => {
    const namespace = `galvanic-dhcp-${process.pid}`;
    let fixture: BootFixture;
    let dnsmasq: Dnsmasq | undefined;
    let namespaceMade = false;
    let clientScript: string;

    const ip = (...args: string[]) => run('ip', ['-n', namespace, ...args], { timeout: 10_000 });

    /**
     * A DHCP exchange from the client end of the veth pair with `mac`: the boot file the lease
     * carries, 'none' for a lease without one, or undefined when dnsmasq gave no lease at all.
     */
    const dhcpBootFile = async (mac: string, { ipxe }: { ipxe: boolean }) => {
      await ip('link', 'set', 'client0', 'down');
      await ip('link', 'set', 'client0', 'address', mac);
      await ip('link', 'set', 'client0', 'up');
      // -B asks for broadcast answers: the client end has no address to take a unicast one yet.
      // prettier-ignore
      const args = [
        'netns', 'exec', namespace, 'busybox', 'udhcpc', '-i', 'client0', '-f', '-q', '-n', '-B',
        '-t', '4', '-T', '1', '-s', clientScript, '-O', 'bootfile', ...(ipxe ? ['-x', IPXE_OPTION] : []),
      ];
      const result = await run('ip', args, { timeout: 30_000 }).catch(
        (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
      );
      return /^lease bootfile=(.*)$/m.exec(result.stdout)?.[1];
    };

    beforeAll(async () => {
      fixture = await bootFixture();
      clientScript = join(fixture.root, 'udhcpc-script');
      await writeFile(
        clientScript,
        '#!/bin/sh\n[ "$1" = bound ] && echo "lease bootfile=${bootfile:-none}"\nexit 0\n',
      );
      await chmod(clientScript, 0o755);
      await run('ip', ['netns', 'add', namespace], { timeout: 10_000 });
      namespaceMade = true;
      await ip('link', 'add', 'server0', 'type', 'veth', 'peer', 'name', 'client0');
      await ip('addr', 'add', `${SERVER_ADDRESS}/24`, 'dev', 'server0');
      await ip('link', 'set', 'server0', 'up');
      await ip('link', 'set', 'client0', 'up');
      const config = join(fixture.root, 'dnsmasq.conf');
      await writeFile(
        config,
        dnsmasqConfig(fixture, ['interface=server0', 'dhcp-range=192.0.2.100,192.0.2.150,10m']),
      );
      dnsmasq = startDnsmasq(['ip', 'netns', 'exec', namespace, DNSMASQ], config);
      await dnsmasq.waitForLog(/DHCP, sockets bound exclusively to interface server0/);
    }, 60_000);

    afterAll(async () => {
      await dnsmasq?.stop();
      // Deleting the namespace deletes the veth pair in it.
      if (namespaceMade) await run('ip', ['netns', 'delete', namespace], { timeout: 10_000 });
      await fixture?.close();
    });

    it('hands the node MAC its boot file once prepared, and ignores the MAC after clean-up', async () => {
      // Before prepare dnsmasq knows nothing of the machine: an address, but no boot file.
      expect(await dhcpBootFile(NODE_MAC, { ipxe: true })).toBe('none');

      const hostRead = `read ${join(fixture.hostsdir, NODE_MAC)}`;
      await fixture.prepare();
      await dnsmasq?.waitForLog(hostRead, 1);
      // iPXE gets the entry script; plain PXE firmware is told to chainload iPXE first.
      expect(await dhcpBootFile(NODE_MAC, { ipxe: true })).toBe(`${HTTP_URL}/boot.ipxe`);
      expect(await dhcpBootFile(NODE_MAC, { ipxe: false })).toBe('undionly.kpxe');
      // Another machine on the same network is not tagged with the node.
      expect(await dhcpBootFile(OTHER_MAC, { ipxe: true })).toBe('none');

      await fixture.cleanUp();
      await dnsmasq?.waitForLog(hostRead, 2);
      expect(await dhcpBootFile(NODE_MAC, { ipxe: true })).toBeUndefined();
      expect(dnsmasq?.log()).toMatch(/DHCPDISCOVER\(server0\) 52:54:00:d4:c0:01 ignored/);

      // Prepared again, the machine is answered again.
      await fixture.prepare();
      await dnsmasq?.waitForLog(hostRead, 3);
      expect(await dhcpBootFile(NODE_MAC, { ipxe: true })).toBe(`${HTTP_URL}/boot.ipxe`);
      expect(dnsmasq?.log()).not.toContain('.tmp-');
    }, 120_000);
  },
);
