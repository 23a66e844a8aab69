/**
 * An IPMI BMC (OpenIPMI's `ipmi_sim`) in front of a QEMU virtual machine. Its chassis_control
 * script starts the VM on power on, kills it on power off, restarts it on reset, and keeps the boot
 * device the BMC was given: `pxe` boots the NIC (iPXE over QEMU's user-mode network), `cdrom` the
 * CD drive, anything else the (empty) disk.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  QEMU_BINARY,
  qemuArguments,
  shellQuote,
  type QemuBootDevice,
} from '@galvanic/redfish-emulator';
import { freeUdpPort, IpmiSim, SIM_PASSWORD, SIM_USER, writeSimConfig } from 'ipmi-ts/testing';
import { readConsole, waitForConsole } from './serial-console';

export interface VmOptions {
  /** The VM's NIC (default: a random locally administered 52:54:00 address). */
  readonly macAddress?: string;
  /** What QEMU's DHCP offers as boot file, e.g. `http://10.0.2.2:PORT/boot.ipxe`. */
  readonly bootfileUrl?: string;
  /** Default 256. */
  readonly memoryMiB?: number;
  /** A VM is killed after this long whatever happens (default 5 minutes). */
  readonly maxRuntimeMs?: number;
  /** A raw image file the VM has as its disk. */
  readonly diskPath?: string;
  /** TCP ports of the VM reachable on the host's loopback (an agent's API, say). */
  readonly hostForwards?: readonly { readonly hostPort: number; readonly guestPort: number }[];
}

/** What every VM behind a BMC simulator gives a test. */
export interface BmcVm {
  readonly macAddress: string;
  readonly serialPath: string;
  /** Whether the VM's process runs (the machine is powered on). */
  running(): boolean;
  console(): string;
  /** Resolves with the console once `pattern` appears; rejects with its tail after `timeoutMs`. */
  waitForConsole(pattern: RegExp | string, timeoutMs: number): Promise<string>;
  /** Stops the BMC and kills the VM. */
  stop(): Promise<void>;
}

export interface IpmiVm extends BmcVm {
  readonly sim: IpmiSim;
  /** `driver_info` for Ironic's ipmi hardware type. */
  readonly driverInfo: {
    readonly ipmi_address: string;
    readonly ipmi_port: number;
    readonly ipmi_username: string;
    readonly ipmi_password: string;
  };
  /** Every `set` the BMC's script carried out, e.g. ["boot pxe", "power 1"]. */
  log(): string[];
}

export function randomMac(): string {
  const bytes = Array.from({ length: 3 }, () => Math.floor(Math.random() * 256));
  return ['52', '54', '00', ...bytes.map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

const CHASSIS_SCRIPT = `#!/bin/sh
# chassis_control for ipmi_sim: DIR get|set ...; the VM runs while DIR/vm.pid names a live process.
D="$1"; shift
op="$1"; shift
alive() {
  pid=$(cat "$D/vm.pid" 2>/dev/null) || return 1
  state=$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}
group_alive() {
  ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'
}
power_off() {
  if pid=$(cat "$D/vm.pid" 2>/dev/null); then
    kill -KILL "-$pid" 2>/dev/null  # dash's kill takes no "--"
    # QEMU itself (same process group) may outlive its parent a moment, still holding the disk's
    # lock and the forwarded ports a new VM needs: wait for the group's live (not zombie) members.
    i=0; while { alive || group_alive "$pid"; } && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
    rm -f "$D/vm.pid"
  fi
}
power_on() {
  alive || "$D/start-vm" "$(cat "$D/boot" 2>/dev/null || echo default)"
}
case "$op" in
get)
  for p in "$@"; do
    case "$p" in
      power) if alive; then echo power:1; else echo power:0; fi;;
      boot) echo "boot:$(cat "$D/boot" 2>/dev/null || echo default)";;
    esac
  done;;
set)
  while [ $# -ge 2 ]; do
    printf '%s %s\\n' "$1" "$2" >> "$D/log"
    case "$1" in
      power) if [ "$2" = 1 ]; then power_on; else power_off; fi;;
      reset|shutdown) [ "$2" = 1 ] && { power_off; [ "$1" = reset ] && power_on; };;
      boot) printf '%s\\n' "$2" > "$D/boot";;
    esac
    shift 2
  done;;
esac
exit 0
`;

/** `start-vm DEVICE`: starts QEMU in its own session under a time limit, its pid in vm.pid. */
function startVmScript(
  dir: string,
  options: Required<Omit<VmOptions, 'bootfileUrl' | 'diskPath' | 'hostForwards'>> & VmOptions,
  serialPath: string,
): string {
  const command = (bootDevice: QemuBootDevice): string =>
    [
      'setsid',
      'timeout',
      '-s',
      'KILL',
      String(Math.ceil(options.maxRuntimeMs / 1000)),
      QEMU_BINARY,
      ...qemuArguments({
        macAddress: options.macAddress,
        serialPath,
        memoryMiB: options.memoryMiB,
        bootDevice,
        ...(options.bootfileUrl ? { bootfileUrl: options.bootfileUrl } : {}),
        ...(options.diskPath ? { diskPath: options.diskPath } : {}),
        ...(options.hostForwards ? { hostForwards: options.hostForwards } : {}),
      }),
    ]
      .map(shellQuote)
      .join(' ');
  const log = shellQuote(join(dir, 'qemu.log'));
  const pidFile = shellQuote(join(dir, 'vm.pid'));
  return [
    '#!/bin/sh',
    'case "$1" in',
    `pxe) ${command('network')} </dev/null >>${log} 2>&1 & ;;`,
    `*) ${command('disk')} </dev/null >>${log} 2>&1 & ;;`,
    'esac',
    `echo $! > ${pidFile}`,
    // Every VM ever started, so the test can check and kill them whatever the script did.
    `echo $! >> ${shellQuote(join(dir, 'vm.pids'))}`,
    '',
  ].join('\n');
}

/** Starts an ipmi_sim BMC on a free 127.0.0.1 UDP port with a powered-off VM behind it. */
export async function startIpmiVm(options: VmOptions = {}): Promise<IpmiVm> {
  const resolved = {
    macAddress: options.macAddress ?? randomMac(),
    memoryMiB: options.memoryMiB ?? 256,
    maxRuntimeMs: options.maxRuntimeMs ?? 300_000,
    ...(options.bootfileUrl ? { bootfileUrl: options.bootfileUrl } : {}),
    ...(options.diskPath ? { diskPath: options.diskPath } : {}),
    ...(options.hostForwards ? { hostForwards: options.hostForwards } : {}),
  };
  const dir = mkdtempSync(join(tmpdir(), 'galvanic-ipmi-vm-'));
  const chassis = join(dir, 'chassis');
  mkdirSync(chassis);
  const serialPath = join(dir, 'console.log');
  const script = join(dir, 'chassis.sh');
  writeFileSync(script, CHASSIS_SCRIPT, { mode: 0o755 });
  writeFileSync(join(chassis, 'start-vm'), startVmScript(chassis, resolved, serialPath));
  chmodSync(join(chassis, 'start-vm'), 0o755);
  const port = await freeUdpPort();
  writeSimConfig(dir, { name: 'vm-bmc', port, chassisControl: `${script} ${chassis}` });
  const sim = new IpmiSim(dir, port);
  const startedPids = (): number[] =>
    readConsoleFile(join(chassis, 'vm.pids'))
      .split('\n')
      .filter((line) => /^\d+$/.test(line))
      .map(Number);
  const powerOff = (): void => {
    for (const pid of startedPids()) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  try {
    await sim.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    sim,
    macAddress: resolved.macAddress,
    serialPath,
    driverInfo: {
      ipmi_address: '127.0.0.1',
      ipmi_port: port,
      ipmi_username: SIM_USER,
      ipmi_password: SIM_PASSWORD,
    },
    running: () => startedPids().some(processAlive),
    log: () => readConsoleFile(join(chassis, 'log')).split('\n').filter(Boolean),
    console: () => readConsole(serialPath),
    waitForConsole: (pattern, timeoutMs) => waitForConsole(serialPath, pattern, timeoutMs),
    async stop() {
      sim.stop();
      powerOff();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readConsoleFile(path: string): string {
  return readConsole(path).trim();
}

/** Whether `pid` is a live (not zombie) process, as the chassis script judges. */
function processAlive(pid: number): boolean {
  const stat = readConsole(`/proc/${pid}/stat`);
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== '' && state !== 'Z';
}
