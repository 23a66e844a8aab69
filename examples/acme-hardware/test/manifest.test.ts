import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DriverManifest } from '@galvanic/driver-sdk';
import { checkDriverPackage } from '@galvanic/driver-sdk/testing';
import * as exported from '../src';

const packageJson = new URL('../package.json', import.meta.url);
const manifest = (JSON.parse(readFileSync(packageJson, 'utf8')) as { galvanic: DriverManifest })
  .galvanic;

describe('the galvanic manifest of acme-galvanic-driver', () => {
  it('passes the checks the conductor makes when it loads the package', () => {
    expect(checkDriverPackage(packageJson, exported)).toEqual([]);
  });

  it('declares the interfaces AcmeHardware adds to GenericHardware', () => {
    expect(manifest.interfaces).toEqual({
      power: { acme: 'AcmePower' },
      management: { acme: 'AcmeManagement' },
      vendor: { acme: 'AcmeVendor' },
    });
  });
});
