import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { QEMU_BINARY, qemuArguments, type QemuMachineSpec } from './command';

/** Whether `qemu-system-x86_64` can run here (Debian package `qemu-system-x86`). */
export function qemuAvailable(): boolean {
  const probe = spawnSync(QEMU_BINARY, ['--version'], { stdio: 'ignore', timeout: 10_000 });
  return probe.status === 0;
}

export interface QemuVmOptions {
  /** The VM is killed after this long whatever happens (default 10 minutes). */
  readonly maxRuntimeMs?: number;
  /** Told when the VM stops by itself (guest power-off, panic with -no-reboot, time limit). */
  readonly onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

/** One running QEMU process. Killing it is pulling the power cord. */
export class QemuVm {
  readonly #child: ChildProcess;
  readonly #limit: NodeJS.Timeout;
  readonly #exited: Promise<void>;
  #running = true;
  #stderr = '';

  constructor(spec: QemuMachineSpec, options: QemuVmOptions = {}) {
    this.#child = spawn(QEMU_BINARY, qemuArguments(spec), {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.#child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
    });
    this.#limit = setTimeout(() => this.#child.kill('SIGKILL'), options.maxRuntimeMs ?? 600_000);
    this.#limit.unref();
    let stopping = false;
    this.#exited = new Promise((resolve) => {
      this.#child.once('error', (error) => {
        this.#stderr += String(error);
      });
      this.#child.once('close', (code, signal) => {
        this.#running = false;
        clearTimeout(this.#limit);
        if (!stopping) options.onExit?.(code, signal);
        resolve();
      });
    });
    this.stop = async () => {
      stopping = true;
      if (this.#running) this.#child.kill('SIGKILL');
      await this.#exited;
    };
  }

  get running(): boolean {
    return this.#running;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** What QEMU itself printed last (its errors), for failure messages. */
  get errors(): string {
    return this.#stderr;
  }

  /** Kills the VM and resolves once the process is gone. */
  readonly stop: () => Promise<void>;
}
