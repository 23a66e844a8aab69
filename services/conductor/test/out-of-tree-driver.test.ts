/**
 * Third-party drivers written outside this repository: packages a vendor writes in a directory
 * of their own against the packed SDK (one in plain JavaScript, one in TypeScript compiled with
 * tsc), packed with npm, installed with `galvanic drivers install` into `[DEFAULT] driver_path`,
 * enabled by two options, and driven through the real API and `baremetal` CLI. Nothing here
 * needs the network: npm installs local tarballs only.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baremetal,
  baremetalQuiet,
  packDriverSdk,
  REPO_ROOT,
  runCommand,
  SOURCE_NODE_ARGS,
  startSplitMode,
  TSC,
  type PackedSdk,
  type SplitMode,
} from '@galvanic/testing';

const MANIFEST = (name: string, sdkApiVersion = 1) => ({
  sdkApiVersion,
  hardwareTypes: { [name]: 'RackHardware' },
  interfaces: {
    power: { [name]: 'RackPower' },
    management: { [name]: 'RackManagement' },
    vendor: { [name]: 'RackVendor' },
  },
});

/** The driver's code, the same in both languages but for the type annotations. */
function driverSource(name: string, typed: boolean): string {
  const t = (annotation: string) => (typed ? annotation : '');
  return `import {
  GenericHardware,
  InvalidParameterValue,
  ManagementInterface,
  PowerInterface,
  VendorInterface,
  passthru,
  ${typed ? 'type BootDevice, type BootDeviceState, type PowerState, type TaskContext,' : ''}
} from '@galvanic/driver-sdk';

export class RackHardware extends GenericHardware {
  get supportedPowerInterfaces()${t(': string[]')} { return ['${name}']; }
  get supportedManagementInterfaces()${t(': string[]')} { return ['${name}']; }
  ${typed ? 'override ' : ''}get supportedVendorInterfaces()${t(': readonly string[]')} {
    return ['${name}', ...super.supportedVendorInterfaces];
  }
}

/** Keeps the power state in the node's driver_internal_info, as a BMC would keep it. */
export class RackPower extends PowerInterface {
  validate()${t(': void')} {}
  async getPowerState(task${t(': TaskContext')})${t(': Promise<PowerState>')} {
    return ${typed ? '(' : ''}task.node.driverInternalInfo.rack_power${typed ? ' as PowerState | undefined)' : ''} ?? 'power off';
  }
  async setPowerState(task${t(': TaskContext')}, state${t(': PowerState')})${t(': Promise<void>')} {
    task.node.driverInternalInfo.rack_power = state;
  }
  async reboot(task${t(': TaskContext')})${t(': Promise<void>')} {
    task.node.driverInternalInfo.rack_power = 'power on';
  }
}

export class RackManagement extends ManagementInterface {
  validate()${t(': void')} {}
  getSupportedBootDevices()${t(': BootDevice[]')} { return ['pxe', 'disk']; }
  async setBootDevice()${t(': Promise<void>')} {}
  async getBootDevice()${t(': Promise<BootDeviceState>')} { return { boot_device: 'disk', persistent: true }; }
}

export class RackVendor extends VendorInterface {
  validate()${t(': void')} {}
  ${typed ? "@passthru({ httpMethods: ['POST'], async: false, description: 'Echoes say' })" : ''}
  echo(task${t(': TaskContext')}, body${t(': unknown')}) {
    const say = (body${t(' as { say?: unknown } | null')})?.say;
    if (typeof say !== 'string') throw new InvalidParameterValue('"say" must be a string');
    return { language: '${typed ? 'typescript' : 'javascript'}', power: task.driver.power.constructor.name, said: say };
  }
}
${
  typed
    ? ''
    : `// Plain JavaScript has no decorator syntax: apply the decorator to the method's descriptor.
const method = Object.getOwnPropertyDescriptor(RackVendor.prototype, 'echo');
passthru({ httpMethods: ['POST'], async: false, description: 'Echoes say' })(RackVendor.prototype, 'echo', method);
`
}`;
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

interface DriverPackageSpec {
  name: string;
  version: string;
  typed: boolean;
  sdkApiVersion?: number;
  sdkRange?: string;
}

/** Writes a driver package in `root`, builds it when typed, and packs it; returns the tarball. */
async function makeDriverPackage(
  root: string,
  sdk: PackedSdk,
  spec: DriverPackageSpec,
): Promise<string> {
  const dir = join(root, spec.name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  const main = spec.typed ? 'dist/index.js' : 'src/index.js';
  writeJson(join(dir, 'package.json'), {
    name: spec.name,
    version: spec.version,
    type: 'module',
    exports: spec.typed
      ? { '.': { types: './dist/index.d.ts', default: `./${main}` } }
      : `./${main}`,
    files: spec.typed ? ['dist/'] : ['src/'],
    peerDependencies: { '@galvanic/driver-sdk': spec.sdkRange ?? '^1.0.0' },
    devDependencies: { '@galvanic/driver-sdk': `file:${sdk.tarball}` },
    galvanic: MANIFEST(spec.name, spec.sdkApiVersion),
  });
  writeFileSync(
    join(dir, spec.typed ? 'src/index.ts' : 'src/index.js'),
    driverSource(spec.name, spec.typed),
  );
  if (spec.typed) {
    writeJson(join(dir, 'tsconfig.json'), {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        declaration: true,
        outDir: 'dist',
        rootDir: 'src',
        lib: ['ES2023'],
        types: ['node'],
        typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
      },
      include: ['src'],
    });
    await runCommand('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: dir });
    await runCommand(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: dir });
  }
  const { stdout } = await runCommand('npm', ['pack', '--json'], { cwd: dir });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  return join(dir, packed!.filename);
}

/** Runs `pnpm galvanic ...` (the conductor's CLI) with the given driver_path. */
function galvanic(driverPath: string, ...args: string[]) {
  return runCommand(
    process.execPath,
    [...SOURCE_NODE_ARGS, 'services/conductor/src/cli.ts', ...args],
    { cwd: REPO_ROOT, env: { GALVANIC_DEFAULT__DRIVER_PATH: driverPath } },
  );
}

describe('driver packages written, packed and installed outside the repository', () => {
  let work: string;
  let sdk: PackedSdk;
  let driverPath: string;
  let cluster: SplitMode | undefined;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'galvanic-vendor-'));
    sdk = await packDriverSdk(work);
    driverPath = join(work, 'galvanic-state', 'drivers');
    const js = await makeDriverPackage(work, sdk, {
      name: 'rack-js',
      version: '1.2.3',
      typed: false,
    });
    const ts = await makeDriverPackage(work, sdk, {
      name: 'rack-ts',
      version: '0.4.0',
      typed: true,
    });
    await galvanic(driverPath, 'drivers', 'install', '--offline', js);
    await galvanic(driverPath, 'drivers', 'install', '--offline', ts);
  }, 600_000);

  afterAll(async () => {
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the packed SDK holds only its compiled code, declarations, README and package.json', () => {
    expect(sdk.files).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts']));
    expect(sdk.files).toEqual(
      expect.arrayContaining(['dist/testing/index.js', 'dist/testing/index.d.ts', 'README.md']),
    );
    const outside = sdk.files.filter(
      (path) => !path.startsWith('dist/') && path !== 'README.md' && path !== 'package.json',
    );
    expect(outside).toEqual([]);
  });

  it('galvanic drivers available lists what is installed in driver_path, with versions', async () => {
    const { stdout } = await galvanic(driverPath, 'drivers', 'available', '--json');
    const rows = (
      JSON.parse(stdout) as { kind: string; name: string; package: string; version: string }[]
    )
      .filter((row) => row.name.startsWith('rack-'))
      .map((row) => `${row.kind}:${row.name}:${row.package}@${row.version}`);
    expect(rows).toEqual(
      expect.arrayContaining([
        'hardware type:rack-js:rack-js@1.2.3',
        'power interface:rack-js:rack-js@1.2.3',
        'hardware type:rack-ts:rack-ts@0.4.0',
        'vendor interface:rack-ts:rack-ts@0.4.0',
      ]),
    );
  });

  describe('enabled by two options, on a running conductor', () => {
    let apiUrl: string;

    beforeAll(async () => {
      cluster = await startSplitMode({
        conductors: ['c1'],
        env: {
          GALVANIC_DEFAULT__DRIVER_PATH: driverPath,
          GALVANIC_DEFAULT__DRIVER_PACKAGES: 'rack-js,rack-ts',
          GALVANIC_DEFAULT__ENABLED_HARDWARE_TYPES: 'rack-js,rack-ts',
        },
      });
      apiUrl = cluster.apiUrl;
    }, 240_000);

    it('baremetal driver list shows both hardware types', async () => {
      expect(await baremetal(apiUrl, 'driver', 'list')).toEqual([
        { 'Supported driver(s)': 'rack-js', 'Active host(s)': 'c1' },
        { 'Supported driver(s)': 'rack-ts', 'Active host(s)': 'c1' },
      ]);
    });

    it.each([
      ['rack-js', 'javascript'],
      ['rack-ts', 'typescript'],
    ])(
      '%s: nodes are created with it, powered and its passthru method called',
      async (driver, language) => {
        const node = (await baremetal(
          apiUrl,
          'node',
          'create',
          '--driver',
          driver,
          '--name',
          `${driver}-node`,
        )) as { uuid: string; driver: string; power_interface: string; vendor_interface: string };
        expect(node).toMatchObject({ driver, power_interface: driver, vendor_interface: driver });
        await baremetalQuiet(apiUrl, 'node', 'power', 'on', node.uuid);
        const shown = (await baremetal(
          apiUrl,
          'node',
          'show',
          node.uuid,
          '--fields',
          'power_state',
        )) as {
          power_state: string;
        };
        expect(shown.power_state).toBe('power on');
        const echo = (...args: string[]) =>
          baremetalQuiet(apiUrl, 'node', 'passthru', 'call', '--http-method', 'POST', ...args);
        const { stdout } = await echo('--arg', 'say=hello', node.uuid, 'echo');
        expect(stdout).toContain(language);
        expect(stdout).toContain('hello');
        // The driver's own InvalidParameterValue reaches the client as Ironic's 400.
        const refused = await echo(node.uuid, 'echo').catch((error: Error) => error);
        expect(String(refused)).toContain('"say" must be a string');
      },
    );

    it('a package built for another SDK version is refused at start, naming both versions', async () => {
      const old = await makeDriverPackage(work, sdk, {
        name: 'rack-next',
        version: '3.0.0',
        typed: false,
        sdkApiVersion: 2,
        sdkRange: '^2.0.0',
      });
      const otherPath = join(work, 'other-state', 'drivers');
      // npm refuses it already: its peer dependency wants an SDK this conductor does not have.
      const refused = await galvanic(otherPath, 'drivers', 'install', '--offline', old).catch(
        (error: Error) => error,
      );
      expect(String(refused)).toMatch(/ERESOLVE[\s\S]*@galvanic\/driver-sdk/);
      // Installed by hand regardless (as after upgrading Galvanic past what a driver supports).
      await runCommand(
        'npm',
        [
          'install',
          '--prefix',
          otherPath,
          '--offline',
          '--no-audit',
          '--no-fund',
          '--legacy-peer-deps',
          old,
        ],
        { cwd: otherPath },
      );
      const conductor = cluster!.start('services/conductor/src/main.ts', {
        GALVANIC_DEFAULT__HOST: 'c-next',
        GALVANIC_DEFAULT__DRIVER_PATH: otherPath,
        GALVANIC_DEFAULT__DRIVER_PACKAGES: 'rack-next',
        GALVANIC_DEFAULT__ENABLED_HARDWARE_TYPES: 'rack-next',
      });
      expect(await conductor.exited()).not.toBe(0);
      expect(conductor.output()).toMatch(
        /rack-next could not be loaded\. Reason: it targets driver SDK API version 2 \(@galvanic\/driver-sdk \^2\.0\.0\), but this conductor provides version 1 \(@galvanic\/driver-sdk \d+\.\d+\.\d+\)/,
      );
    }, 240_000);
  });
});
