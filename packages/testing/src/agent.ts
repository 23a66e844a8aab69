import { execFile, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, watchProcess, type ServiceProcess } from './process';

const run = promisify(execFile);

/** Where the agent's Go module is, and where test builds of it go (ignored by git). */
const AGENT_MODULE = resolve(REPO_ROOT, 'services/agent');
const AGENT_BINARY = resolve(AGENT_MODULE, '.build/galvanic-agent');

let built: Promise<string> | undefined;
let ramdisk: Promise<AgentRamdisk> | undefined;

/** The deploy ramdisk `services/agent/ramdisk/build.sh` makes: Debian's kernel and the initramfs. */
export interface AgentRamdisk {
  readonly kernel: string;
  readonly initramfs: string;
}

/**
 * Builds the deploy ramdisk with the agent once per test process (the kernel package is cached
 * in ~/.cache/galvanic, so later builds only pack the initramfs).
 */
export function buildAgentRamdisk(): Promise<AgentRamdisk> {
  ramdisk ??= (async () => {
    const out = resolve(AGENT_MODULE, '.build/ramdisk');
    await run('bash', [resolve(AGENT_MODULE, 'ramdisk/build.sh'), out], { timeout: 600_000 });
    return { kernel: join(out, 'vmlinuz'), initramfs: join(out, 'galvanic-ramdisk.gz') };
  })();
  return ramdisk;
}

/**
 * Builds the Galvanic agent (a static Go binary) once per test process, with Go's own build
 * cache making later builds quick. Needs Debian's golang-go.
 */
export function buildAgent(): Promise<string> {
  built ??= (async () => {
    await mkdir(resolve(AGENT_MODULE, '.build'), { recursive: true });
    await run(
      'go',
      ['build', '-trimpath', '-ldflags', '-s -w', '-o', AGENT_BINARY, './cmd/galvanic-agent'],
      {
        cwd: AGENT_MODULE,
        env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
        timeout: 300_000,
      },
    );
    return AGENT_BINARY;
  })();
  return built;
}

export interface HostAgentOptions {
  /** The API's URL; when unset the agent reads `ipa-api-url` from `cmdline`. */
  apiUrl?: string;
  /** A file holding the kernel command line the agent reads `ipa-*` parameters from. */
  cmdline?: string;
  /** Image files the agent treats as its disks. */
  disks: readonly string[];
  /** MAC addresses it looks its node up by. */
  macs: readonly string[];
  /** Where it posts its inventory first, for inspection. */
  inspectionCallbackUrl?: string;
  /** Where it keeps downloads. */
  tempDir: string;
  /** Where rescue writes etc/passwd and etc/shadow; `tempDir` when unset (never the host's /). */
  rescueRoot?: string;
}

/**
 * The agent as a host process, listening on a free loopback port: disks are image files and
 * power commands are only recorded, so it can be driven without a VM.
 */
export async function startHostAgent(options: HostAgentOptions): Promise<ServiceProcess> {
  const binary = await buildAgent();
  const args = [
    ...(options.apiUrl ? ['--api-url', options.apiUrl] : []),
    '--listen',
    '127.0.0.1:0',
    '--advertise-host',
    '127.0.0.1',
    '--cmdline',
    options.cmdline ?? '/dev/null',
    '--temp-dir',
    options.tempDir,
    '--rescue-root',
    options.rescueRoot ?? options.tempDir,
    '--lookup-interval',
    '500ms',
    ...options.disks.flatMap((disk) => ['--disk', disk]),
    ...options.macs.flatMap((mac) => ['--mac', mac]),
    ...(options.inspectionCallbackUrl
      ? ['--inspection-callback-url', options.inspectionCallbackUrl]
      : []),
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return watchProcess(child, 'galvanic-agent');
}
