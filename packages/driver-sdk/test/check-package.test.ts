import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GenericHardware, PowerInterface, type PowerState } from '../src';
import { checkDriverPackage } from '../src/testing';

class GoodPower extends PowerInterface {
  validate(): void {}
  async getPowerState(): Promise<PowerState> {
    return 'power off';
  }
  async setPowerState(): Promise<void> {}
  async reboot(): Promise<void> {}
}

class GoodHardware extends GenericHardware {
  get supportedPowerInterfaces() {
    return ['good'];
  }
  get supportedManagementInterfaces() {
    return ['noop'];
  }
}

function packageJson(galvanic: unknown): URL {
  const file = join(mkdtempSync(join(tmpdir(), 'sdk-check-')), 'package.json');
  writeFileSync(file, JSON.stringify({ name: 'x', galvanic }));
  return pathToFileURL(file);
}

describe('checkDriverPackage', () => {
  it('passes a package the conductor would load', () => {
    const url = packageJson({
      sdkApiVersion: 1,
      hardwareTypes: { 'good-hw': 'GoodHardware' },
      interfaces: { power: { good: 'GoodPower' } },
    });
    expect(checkDriverPackage(url, { GoodHardware, GoodPower })).toEqual([]);
  });

  it('names each problem the conductor would refuse', () => {
    const url = packageJson({
      sdkApiVersion: 1,
      hardwareTypes: { 'good-hw': 'GoodPower' },
      interfaces: {
        power: { good: 'GoodPower', gone: 'Missing' },
        management: { wrong: 'GoodPower' },
      },
    });
    expect(checkDriverPackage(url, { GoodPower })).toEqual([
      expect.stringMatching(/^hardware type good-hw: the class is not a hardware type/),
      'power interface gone: "Missing" is not exported',
      expect.stringMatching(
        /^management interface wrong: the class is declared as a management interface but does not extend/,
      ),
    ]);
  });

  it('reports a malformed declaration and another SDK version', () => {
    expect(checkDriverPackage(packageJson({ sdkApiVersion: 'one' }), {})).toEqual([
      '"galvanic.sdkApiVersion" must be an integer',
    ]);
    expect(checkDriverPackage(packageJson({ sdkApiVersion: 2 }), {})).toEqual([
      'targets SDK API version 2, this SDK is 1',
    ]);
  });
});
