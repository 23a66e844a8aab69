import { PatchError } from '@galvanic/errors';
import { echoablePatch } from './echo';

/**
 * One JSON Patch operation of the kinds Ironic accepts. RFC 6902's `move`, `copy` and `test` are
 * left out on purpose: they read stored values (masked secrets included) back into visible fields
 * or answer whether a guess matches.
 */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

/**
 * Names that reach an object's prototype machinery instead of its data when used as a key. No
 * path may walk through them, whatever the object holds.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

type Container = Record<string, unknown> | unknown[];

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`"${pointer}" is not a JSON pointer`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function arrayIndex(array: unknown[], key: string, forInsert: boolean): number {
  if (forInsert && key === '-') return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(key)) throw new Error(`"${key}" is not an array index`);
  const index = Number(key);
  if (index > array.length || (!forInsert && index === array.length))
    throw new Error(`index ${index} is out of range`);
  return index;
}

/** The member `key` of a container: own data only, never anything inherited. */
function member(container: Container, key: string): unknown {
  if (Array.isArray(container)) {
    if (!/^(0|[1-9][0-9]*)$/.test(key)) return undefined;
    return container[Number(key)];
  }
  return Object.hasOwn(container, key) ? container[key] : undefined;
}

function parent(
  document: unknown,
  tokens: readonly string[],
): { container: Container; key: string } {
  let current = document;
  for (const token of tokens.slice(0, -1)) {
    if (!isContainer(current)) throw new Error(`${token} has no member to follow`);
    current = member(current, token);
    if (current === undefined) throw new Error(`member ${token} does not exist`);
  }
  if (!isContainer(current)) throw new Error('the target is not an object or array');
  return { container: current, key: tokens[tokens.length - 1]! };
}

function get(document: unknown, tokens: readonly string[]): unknown {
  let current = document;
  for (const token of tokens) {
    if (!isContainer(current)) return undefined;
    current = member(current, token);
  }
  return current;
}

/** Sets an own data property, so even a key the checks missed cannot reach a prototype. */
function setMember(container: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(container, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function add(document: unknown, tokens: string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const { container, key } = parent(document, tokens);
  if (Array.isArray(container)) container.splice(arrayIndex(container, key, true), 0, value);
  else setMember(container, key, value);
  return document;
}

function remove(document: unknown, tokens: string[]): unknown {
  if (tokens.length === 0) throw new Error('cannot remove the whole document');
  const { container, key } = parent(document, tokens);
  if (Array.isArray(container)) {
    container.splice(arrayIndex(container, key, false), 1);
  } else {
    if (!Object.hasOwn(container, key))
      throw new Error(`can't remove a non-existent object '${key}'`);
    delete container[key];
  }
  return document;
}

/**
 * Applies a JSON Patch of add, remove and replace operations to a deep copy of `document` and
 * returns it. A failing operation throws Ironic's PatchError naming the patch and the reason; the
 * input is never changed. Paths through reserved keys are refused before anything is applied.
 */
export function applyJsonPatch<T>(document: T, patch: readonly PatchOperation[]): T {
  let result: unknown = structuredClone(document);
  for (const operation of patch) {
    try {
      const tokens = parsePointer(operation.path);
      const reserved = tokens.find((token) => RESERVED_KEYS.has(token));
      if (reserved !== undefined) throw new Error(`'${reserved}' is a reserved name`);
      switch (operation.op) {
        case 'add':
          result = add(result, tokens, structuredClone(operation.value));
          break;
        case 'remove':
          result = remove(result, tokens);
          break;
        case 'replace':
          if (get(result, tokens) === undefined)
            throw new Error(`can't replace a non-existent object '${tokens.at(-1)}'`);
          result = add(remove(result, tokens), tokens, structuredClone(operation.value));
          break;
        default:
          throw new Error(`unknown operation ${String((operation as { op: unknown }).op)}`);
      }
    } catch (error) {
      throw new PatchError(JSON.stringify(echoablePatch(patch)), (error as Error).message);
    }
  }
  return result as T;
}
