/**
 * Starts OpenIPMI `ipmi_sim` BMC simulators for tests: one process per BMC, each with its own
 * lan.conf, emulator command file, state dir and UDP port. Power and boot state live in files
 * written by a chassis_control script, so tests can assert what the BMC was told.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRequest } from '../message';
import { AuthType, encodeV15 } from '../rmcp';

export const SIM_USER = 'admin';
export const SIM_PASSWORD = 'password';

const CHASSIS_SCRIPT = `#!/bin/sh
# usage: chassis.sh STATE_DIR get|set ...
D="$1"; shift
op="$1"; shift
case "$op" in
get)
  for p in "$@"; do
    case "$p" in
      power) echo "power:$(cat "$D/power" 2>/dev/null || echo 0)";;
      boot) echo "boot:$(cat "$D/boot" 2>/dev/null || echo default)";;
    esac
  done;;
set)
  while [ $# -ge 2 ]; do
    printf '%s\\n' "$2" > "$D/$1"
    printf '%s %s\\n' "$1" "$2" >> "$D/log"
    shift 2
  done;;
esac
`;

export interface SimState {
  readonly power: string | undefined;
  readonly boot: string | undefined;
  /** Every `set` the BMC performed, e.g. ["power 1", "boot pxe"]. */
  readonly log: readonly string[];
}

export class IpmiSim {
  readonly dir: string;
  readonly port: number;
  #proc: ChildProcess | undefined;

  constructor(dir: string, port: number) {
    this.dir = dir;
    this.port = port;
  }

  get stateDir(): string {
    return join(this.dir, 'chassis');
  }

  state(): SimState {
    const read = (f: string): string | undefined => {
      const p = join(this.stateDir, f);
      return existsSync(p) ? readFileSync(p, 'utf8').trim() : undefined;
    };
    return {
      power: read('power'),
      boot: read('boot'),
      log: (read('log') ?? '').split('\n').filter(Boolean),
    };
  }

  setState(key: 'power' | 'boot', value: string): void {
    // Replaced in one rename: the chassis script may be reading the file at this very moment, and
    // a truncated file would make ipmi_sim answer 0xFF.
    const partial = join(this.stateDir, `.${key}.partial`);
    writeFileSync(partial, `${value}\n`);
    renameSync(partial, join(this.stateDir, key));
  }

  /** Runs ipmitool against this simulator and returns stdout. */
  ipmitool(args: readonly string[], iface: 'lanplus' | 'lan' = 'lanplus'): string {
    const base = iface === 'lanplus' ? ['-I', 'lanplus', '-C', '3'] : ['-I', 'lan', '-A', 'MD5'];
    const r = spawnSync(
      'ipmitool',
      [
        ...base,
        '-H',
        '127.0.0.1',
        '-p',
        String(this.port),
        '-U',
        SIM_USER,
        '-P',
        SIM_PASSWORD,
        ...args,
      ],
      { encoding: 'utf8', timeout: 15_000 },
    );
    if (r.status !== 0) throw new Error(`ipmitool ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  }

  async start(): Promise<void> {
    const proc = spawn(
      'ipmi_sim',
      [
        '-n',
        '-c',
        join(this.dir, 'lan.conf'),
        '-f',
        join(this.dir, 'emu.cmd'),
        '-s',
        join(this.dir, 'state'),
      ],
      { cwd: this.dir, detached: true, stdio: 'ignore' },
    );
    this.#proc = proc;
    await waitUntilAnswering(this.port, proc);
  }

  /** Kills the simulator's process group. */
  stop(): void {
    const pid = this.#proc?.pid;
    this.#proc = undefined;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  async restart(): Promise<void> {
    this.stop();
    await new Promise((r) => setTimeout(r, 50));
    await this.start();
  }
}

export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Sends a sessionless Get Channel Authentication Capabilities until the simulator answers. */
async function waitUntilAnswering(port: number, proc: ChildProcess): Promise<void> {
  const probe = encodeV15({
    authType: AuthType.None,
    sessionSeq: 0,
    sessionId: 0,
    payload: encodeRequest({ netFn: 0x06, command: 0x38, data: Buffer.from([0x8e, 0x04]) }, 1),
  });
  const sock = dgram.createSocket('udp4');
  try {
    const deadline = Date.now() + 10_000;
    let exited = false;
    proc.once('exit', () => (exited = true));
    while (Date.now() < deadline) {
      if (exited) throw new Error(`ipmi_sim on port ${port} exited during startup`);
      const answered = await new Promise<boolean>((resolve) => {
        const t = setTimeout(() => {
          sock.off('message', on);
          resolve(false);
        }, 100);
        const on = (): void => {
          clearTimeout(t);
          sock.off('message', on);
          resolve(true);
        };
        sock.on('message', on);
        sock.send(probe, port, '127.0.0.1');
      });
      if (answered) return;
    }
    throw new Error(`ipmi_sim on port ${port} did not answer`);
  } finally {
    sock.close();
  }
}

export interface SimConfig {
  readonly name: string;
  readonly port: number;
  /** The `chassis_control` command line: ipmi_sim appends `get ...` or `set ...` to it. */
  readonly chassisControl: string;
}

/**
 * Writes the `lan.conf` and emulator command file of one simulated BMC into `dir` (with a
 * `state` dir beside them), for `new IpmiSim(dir, port).start()`. Logins: SIM_USER / SIM_PASSWORD.
 */
export function writeSimConfig(dir: string, config: SimConfig): void {
  mkdirSync(join(dir, 'state'), { recursive: true });
  writeFileSync(
    join(dir, 'lan.conf'),
    [
      `name "${config.name}"`,
      'set_working_mc 0x20',
      '  startlan 1',
      `    addr 127.0.0.1 ${config.port}`,
      '    priv_limit admin',
      '    allowed_auths_callback md5 straight',
      '    allowed_auths_user md5 straight',
      '    allowed_auths_operator md5 straight',
      '    allowed_auths_admin md5 straight',
      '    guid a123456789abcdefa123456789abcdef',
      '  endlan',
      `  chassis_control "${config.chassisControl}"`,
      `  user 2 true "${SIM_USER}" "${SIM_PASSWORD}" admin 10 md5 straight`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'emu.cmd'),
    [
      'mc_setbmc 0x20',
      'mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr',
      'mc_enable 0x20',
      '',
    ].join('\n'),
  );
}

export interface SimFleet {
  readonly sims: readonly IpmiSim[];
  stop(): void;
}

/** Starts `n` simulators on free UDP ports in temp dirs. Call `stop()` in afterAll. */
export async function startSims(n: number): Promise<SimFleet> {
  const sims: IpmiSim[] = [];
  const root = mkdtempSync(join(tmpdir(), 'ipmi-ts-sim-'));
  const fleet: SimFleet = {
    sims,
    stop() {
      for (const s of sims) s.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    for (let i = 0; i < n; i++) {
      const dir = join(root, `bmc${i}`);
      mkdirSync(join(dir, 'chassis'), { recursive: true });
      const script = join(dir, 'chassis.sh');
      writeFileSync(script, CHASSIS_SCRIPT);
      chmodSync(script, 0o755);
      const port = await freeUdpPort();
      writeSimConfig(dir, {
        name: `bmc${i}`,
        port,
        chassisControl: `${script} ${join(dir, 'chassis')}`,
      });
      const sim = new IpmiSim(dir, port);
      sims.push(sim);
      await sim.start();
    }
  } catch (err) {
    fleet.stop();
    throw err;
  }
  return fleet;
}
