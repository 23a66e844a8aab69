import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  HardwareType,
  INTERFACE_KINDS,
  REQUIRED_METHODS,
  checkManifest,
  type DriverManifest,
  type InterfaceKind,
} from '@galvanic/driver-sdk';
import { buildInterface } from '@galvanic/driver-sdk/testing';
import * as exported from '../src';
import { ManualManagementHardware } from '../src';

const manifest = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    galvanic: DriverManifest;
  }
).galvanic;
const exports = exported as Record<string, unknown>;

describe('the galvanic manifest of @galvanic/driver-generic', () => {
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

  it('names exported implementations of their kind, each with its required methods', () => {
    for (const [kind, implementations] of Object.entries(manifest.interfaces ?? {})) {
      for (const [name, className] of Object.entries(implementations ?? {})) {
        const cls = exports[className] as Parameters<typeof buildInterface>[0] & {
          interfaceKind: string;
        };
        expect(typeof cls, `${kind} ${name}: ${className}`).toBe('function');
        expect(cls.interfaceKind).toBe(kind);
        const instance = buildInterface(cls) as unknown as Record<string, unknown>;
        for (const method of REQUIRED_METHODS[kind as InterfaceKind]) {
          expect(typeof instance[method], `${className}.${method}`).toBe('function');
        }
      }
    }
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
