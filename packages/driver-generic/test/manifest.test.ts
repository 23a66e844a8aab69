import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INTERFACE_KINDS, type DriverManifest } from '@galvanic/driver-sdk';
import { checkDriverPackage } from '@galvanic/driver-sdk/testing';
import * as exported from '../src';
import { ManualManagementHardware } from '../src';

const manifest = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    galvanic: DriverManifest;
  }
).galvanic;
const exports = exported as Record<string, unknown>;

describe('the galvanic manifest of @galvanic/driver-generic', () => {
  it('passes the checks the conductor makes when it loads the package', () => {
    expect(checkDriverPackage(new URL('../package.json', import.meta.url), exports)).toEqual([]);
  });

  it('declares every implementation GenericHardware names', () => {
    const declared = manifest.interfaces ?? {};
    for (const kind of INTERFACE_KINDS) {
      for (const name of new ManualManagementHardware().supportedInterfaces(kind)) {
        if (name === 'fake') continue; // from @galvanic/driver-fake
        expect(declared[kind]?.[name], `${kind} ${name}`).toBeDefined();
      }
    }
  });
});
