import { PatchError } from '@galvanic/errors';

/** One RFC 6902 operation. */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

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

function parent(
  document: unknown,
  tokens: readonly string[],
): { container: Container; key: string } {
  let current = document;
  for (const token of tokens.slice(0, -1)) {
    if (!isContainer(current)) throw new Error(`${token} has no member to follow`);
    current = Array.isArray(current) ? current[Number(token)] : current[token];
    if (current === undefined) throw new Error(`member ${token} does not exist`);
  }
  if (!isContainer(current)) throw new Error('the target is not an object or array');
  return { container: current, key: tokens[tokens.length - 1]! };
}

function get(document: unknown, tokens: readonly string[]): unknown {
  let current = document;
  for (const token of tokens) {
    if (!isContainer(current)) return undefined;
    current = Array.isArray(current) ? current[Number(token)] : current[token];
  }
  return current;
}

function arrayIndex(array: unknown[], key: string, forInsert: boolean): number {
  if (forInsert && key === '-') return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(key)) throw new Error(`"${key}" is not an array index`);
  const index = Number(key);
  if (index > array.length || (!forInsert && index === array.length))
    throw new Error(`index ${index} is out of range`);
  return index;
}

function add(document: unknown, tokens: string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const { container, key } = parent(document, tokens);
  if (Array.isArray(container)) container.splice(arrayIndex(container, key, true), 0, value);
  else container[key] = value;
  return document;
}

function remove(document: unknown, tokens: string[]): unknown {
  if (tokens.length === 0) throw new Error('cannot remove the whole document');
  const { container, key } = parent(document, tokens);
  if (Array.isArray(container)) {
    container.splice(arrayIndex(container, key, false), 1);
  } else {
    if (!(key in container)) throw new Error(`can't remove non-existent object '${key}'`);
    delete container[key];
  }
  return document;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Applies an RFC 6902 patch to a deep copy of `document` and returns it. A failing operation
 * throws Ironic's PatchError naming the patch and the reason; the input is never changed.
 */
export function applyJsonPatch<T>(document: T, patch: readonly PatchOperation[]): T {
  let result: unknown = structuredClone(document);
  for (const operation of patch) {
    try {
      const tokens = parsePointer(operation.path);
      switch (operation.op) {
        case 'add':
          result = add(result, tokens, structuredClone(operation.value));
          break;
        case 'remove':
          result = remove(result, tokens);
          break;
        case 'replace':
          if (get(result, tokens) === undefined)
            throw new Error(`can't replace non-existent object '${tokens.at(-1)}'`);
          result = add(remove(result, tokens), tokens, structuredClone(operation.value));
          break;
        case 'move': {
          const from = parsePointer(operation.from ?? '');
          const value = get(result, from);
          if (value === undefined)
            throw new Error(`can't move non-existent object '${from.at(-1)}'`);
          result = add(remove(result, from), tokens, value);
          break;
        }
        case 'copy': {
          const value = get(result, parsePointer(operation.from ?? ''));
          if (value === undefined) throw new Error(`can't copy non-existent object`);
          result = add(result, tokens, structuredClone(value));
          break;
        }
        case 'test':
          if (!deepEqual(get(result, tokens), operation.value)) throw new Error('test failed');
          break;
        default:
          throw new Error(`unknown operation ${String((operation as { op: unknown }).op)}`);
      }
    } catch (error) {
      throw new PatchError(JSON.stringify(patch), (error as Error).message);
    }
  }
  return result as T;
}
