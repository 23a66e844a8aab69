/** Readers for driver_info and passthru values, which arrive as JSON values or as strings from the CLI. */
import { InvalidParameterValue } from '@galvanic/driver-sdk';

const TRUE_WORDS = new Set(['1', 't', 'true', 'on', 'y', 'yes']);
const FALSE_WORDS = new Set(['0', 'f', 'false', 'off', 'n', 'no']);

/** A boolean, or one of the words Ironic accepts for one ("yes", "off", "1", ...); else undefined. */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const word = String(value).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

/** An integer given as a number or as a decimal or 0x-prefixed hexadecimal string; else undefined. */
export function asInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16);
  if (/^\d+$/.test(text)) return Number.parseInt(text, 10);
  return undefined;
}

export function booleanField(name: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = asBoolean(value);
  if (parsed === undefined) {
    throw new InvalidParameterValue(`${name} must be a boolean, got ${JSON.stringify(value)}.`);
  }
  return parsed;
}

export function integerField(
  name: string,
  value: unknown,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = asInteger(value);
  if (parsed === undefined || parsed < min || parsed > max) {
    throw new InvalidParameterValue(
      `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}.`,
    );
  }
  return parsed;
}
