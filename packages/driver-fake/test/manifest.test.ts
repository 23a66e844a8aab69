import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INTERFACE_KINDS, type DriverManifest } from '@galvanic/driver-sdk';
import { checkDriverPackage } from '@galvanic/driver-sdk/testing';
import * as exported from '../src';

const packageJson = new URL('../package.json', import.meta.url);
const manifest = (JSON.parse(readFileSync(packageJson, 'utf8')) as { galvanic: DriverManifest })
  .galvanic;

describe('the galvanic manifest of @galvanic/driver-fake', () => {
  it('passes the checks the conductor makes when it loads the package', () => {
    expect(checkDriverPackage(packageJson, exported)).toEqual([]);
  });

  it('declares a fake implementation of every kind', () => {
    for (const kind of INTERFACE_KINDS)
      expect(manifest.interfaces?.[kind]?.fake, kind).toBeDefined();
  });
});
