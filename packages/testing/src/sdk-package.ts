import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './process';

const execFileAsync = promisify(execFile);

export interface CommandOptions {
  cwd: string;
  /** Added to the environment; an undefined value removes the variable. */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/**
 * Runs a command as an operator's shell would: without the npm_config_* variables pnpm sets for
 * its scripts (npm would read them as its own settings) unless `env` gives them. Rejects with
 * the output on failure.
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<{ stdout: string; stderr: string }> {
  const inherited = Object.entries(process.env).filter(
    ([name]) => !name.toLowerCase().startsWith('npm_config_'),
  );
  const env: Record<string, string | undefined> = Object.fromEntries(inherited);
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  try {
    return await execFileAsync(command, [...args], {
      cwd: options.cwd,
      env,
      timeout: options.timeoutMs ?? 180_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed: ${failed.message}\n${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    );
  }
}

/** The TypeScript compiler of the workspace, for tests that compile code outside it. */
export const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');

export interface PackedSdk {
  /** The tarball `npm pack` made. */
  readonly tarball: string;
  /** The paths it holds, relative to the package root. */
  readonly files: readonly string[];
}

/**
 * `npm pack` of `@galvanic/driver-sdk` as it would be published: a copy of the package (without
 * its node_modules) compiled with its build config, so tests never race over the workspace's
 * `dist/`. The tarball is written to `destination`.
 */
export async function packDriverSdk(destination: string): Promise<PackedSdk> {
  const source = resolve(REPO_ROOT, 'packages/driver-sdk');
  const copy = mkdtempSync(join(tmpdir(), 'galvanic-sdk-'));
  try {
    cpSync(source, copy, {
      recursive: true,
      filter: (path) => !/^(node_modules|dist)(\/|$)/.test(relative(source, path)),
    });
    await runCommand(
      process.execPath,
      [TSC, '-p', join(source, 'tsconfig.build.json'), '--outDir', join(copy, 'dist')],
      { cwd: copy },
    );
    const { stdout } = await runCommand(
      'npm',
      ['pack', '--json', '--pack-destination', destination],
      { cwd: copy },
    );
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    return {
      tarball: join(destination, packed!.filename),
      files: packed!.files.map((file) => file.path),
    };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
