import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const running = new Set<ChildProcess>();

afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /listening on (https?:\/\/[^/\s]+)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(match[1] as string);
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`cli exited with ${code}: ${output}`));
    });
  });
  return { child, url, output: () => output, exited };
}

describe('redfish-emulator CLI', () => {
  it('starts N systems, prints URL and credentials, stops on SIGTERM', async () => {
    const cli = await startCli(['--systems', '5', '--port', '0']);
    expect(cli.output()).toContain('username: admin');
    expect(cli.output()).toContain('password: password');
    const root = await fetch(`${cli.url}/redfish/v1/`);
    expect(root.status).toBe(200);
    const systems = await fetch(`${cli.url}/redfish/v1/Systems`, {
      headers: { Authorization: `Basic ${Buffer.from('admin:password').toString('base64')}` },
    });
    expect(
      ((await systems.json()) as { 'Members@odata.count': number })['Members@odata.count'],
    ).toBe(5);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    await expect(fetch(`${cli.url}/redfish/v1/`)).rejects.toThrow();
  });

  it('stops on SIGINT; a password from the environment is used and not printed', async () => {
    const cli = await startCli(['--port', '0', '--password-env', 'EMU_PW'], {
      EMU_PW: 'from-env-secret',
    });
    expect(cli.output()).not.toContain('from-env-secret');
    expect(cli.output()).toContain('password: (from $EMU_PW)');
    const ok = await fetch(`${cli.url}/redfish/v1/Systems`, {
      headers: {
        Authorization: `Basic ${Buffer.from('admin:from-env-secret').toString('base64')}`,
      },
    });
    expect(ok.status).toBe(200);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });

  it('prints the CA path with --tls', async () => {
    const cli = await startCli(['--port', '0', '--tls']);
    expect(cli.url).toMatch(/^https:/);
    expect(cli.output()).toMatch(/CA certificate: \S+ca\.pem/);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('refuses a bad option with usage and exit code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--systems', 'many'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('usage: redfish-emulator');
  });
});
