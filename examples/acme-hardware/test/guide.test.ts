/**
 * The guide's first section, run as written: its shell blocks, in order, in one bash session in
 * an empty directory outside the repository, with the SDK packed from this workspace and this
 * checkout as the Galvanic to install into. npm works offline: only local tarballs are used.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packDriverSdk, REPO_ROOT, runCommand } from '@galvanic/testing';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const SECTION = '## From an empty directory to an enabled driver';

/** The ```sh blocks of the guide's step-by-step section, in order. */
function stepByStepCommands(): string[] {
  const start = README.indexOf(SECTION);
  const end = README.indexOf('\n## ', start + SECTION.length);
  const section = README.slice(start, end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

describe('the guide, step by step', () => {
  const work = mkdtempSync(join(tmpdir(), 'galvanic-guide-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('has the steps: package, code, tests, pack and install, enable', () => {
    const blocks = stepByStepCommands();
    expect(blocks).toHaveLength(6);
    expect(blocks.join('\n')).toContain('npm test');
    expect(blocks.join('\n')).toContain('galvanic drivers install');
  });

  it('creates, tests, packs, installs and enables a driver package', async () => {
    const sdk = await packDriverSdk(work);
    const script = stepByStepCommands().join('\n');
    const { stdout, stderr } = await runCommand('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: work,
      timeoutMs: 400_000,
      env: {
        SDK: sdk.tarball,
        GALVANIC: REPO_ROOT,
        // Where this checkout installs drivers: the test's own directory, not the checkout's.
        GALVANIC_DEFAULT__DRIVER_PATH: join(work, 'drivers'),
        // An author's shell runs the packed SDK, not the workspace's source.
        NODE_OPTIONS: undefined,
        npm_config_offline: 'true',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
      },
    });
    const output = stdout + stderr;
    // npm test: the four tests of the guide pass.
    expect(output).toMatch(/# pass 4\b/);
    expect(output).toMatch(/# fail 0\b/);
    // drivers install and drivers available: the package, its version and what it provides.
    expect(output).toContain('acme-rack-driver@0.1.0');
    expect(output).toMatch(/hardware type\s+acme-rack\s+acme-rack-driver@0\.1\.0/);
    expect(output).toMatch(/power interface\s+acme-rack\s+acme-rack-driver@0\.1\.0/);
    expect(output).toMatch(/vendor interface\s+acme-rack\s+acme-rack-driver@0\.1\.0/);
  }, 600_000);
});
