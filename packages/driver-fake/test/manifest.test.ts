import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  HardwareType,
  INTERFACE_KINDS,
  REQUIRED_METHODS,
  checkManifest,
  type DriverManifest,
} from '@galvanic/driver-sdk';
import { buildInterface } from '@galvanic/driver-sdk/testing';
import * as exported from '../src';

const manifest = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    galvanic: DriverManifest;
  }
).galvanic;
const exports = exported as Record<string, unknown>;

describe('the galvanic manifest of @galvanic/driver-fake', () => {
  it('is well formed', () => {
    expect(checkManifest(manifest)).toEqual([]);
  });

  it('names exported hardware types', () => {
    for (const className of Object.values(manifest.hardwareTypes ?? {})) {
      const cls = exports[className] as new () => HardwareType;
      expect(typeof cls, className).toBe('function');
      expect(new cls()).toBeInstanceOf(HardwareType);
    }
  });

  it('declares a fake implementation of every kind, each with its required methods', () => {
    for (const kind of INTERFACE_KINDS) {
      const className = manifest.interfaces?.[kind]?.fake;
      expect(className, kind).toBeDefined();
      const cls = exports[className as string] as Parameters<typeof buildInterface>[0] & {
        interfaceKind: string;
      };
      expect(typeof cls, className).toBe('function');
      expect(cls.interfaceKind).toBe(kind);
      const instance = buildInterface(cls) as unknown as Record<string, unknown>;
      for (const method of REQUIRED_METHODS[kind]) {
        expect(typeof instance[method], `${className}.${method}`).toBe('function');
      }
    }
  });
});
