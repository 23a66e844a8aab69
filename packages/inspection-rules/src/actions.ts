import {
  HardwareInspectionFailure,
  InspectionRuleExecutionFailure,
  RuleActionExecutionFailure,
} from '@galvanic/errors';
import { pythonEquals } from './comparison';
import { pythonStr } from './interpolation';

export type RuleLogLevel = 'debug' | 'info' | 'warning' | 'error' | 'critical';
const LOG_LEVELS: readonly string[] = ['debug', 'info', 'warning', 'error', 'critical'];

/**
 * What rules read and change: the node's fields as plain JSON (read by `{node...}` and changed by
 * the attribute, capability and trait actions), the inventory and the plugin data.
 */
export interface RuleTarget {
  readonly node: Record<string, unknown>;
  readonly inventory: Record<string, unknown>;
  readonly pluginData: Record<string, unknown>;
  /** Stores the named top-level node fields after an action changed them. */
  saveNode(fields: readonly string[]): Promise<void>;
  log(level: RuleLogLevel, message: string): void;
}

type Act = (target: RuleTarget, args: Record<string, unknown>) => Promise<void> | void;

type Json = Record<string, unknown>;

/** Ironic's attribute paths: `/properties/cpus` or `properties.cpus`. */
function pathParts(path: unknown): string[] {
  const text = pythonStr(path);
  return text.includes('/') ? text.replace(/^\/+|\/+$/g, '').split('/') : text.split('.');
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Walks to the object holding the last part, creating objects on the way (Python's setdefault). */
function parentOf(root: unknown, parts: readonly string[]): Json {
  if (!isObject(root)) throw new Error(`'${parts[0]}' is not a dictionary`);
  let current = root;
  for (const part of parts.slice(1, -1)) {
    if (!Object.hasOwn(current, part)) current[part] = {};
    const next = current[part];
    if (!isObject(next)) throw new Error(`'${part}' is not a dictionary`);
    current = next;
  }
  return current;
}

function nodeField(target: RuleTarget, name: string): unknown {
  if (!Object.hasOwn(target.node, name))
    throw new Error(`'Node' object has no attribute '${name}'`);
  return target.node[name];
}

/** Runs `change` on the node and saves the field it touched; any failure is the action's. */
async function changeNode(
  target: RuleTarget,
  path: unknown,
  describe: (error: string) => string,
  change: (parts: string[]) => void,
): Promise<void> {
  try {
    const parts = pathParts(path);
    change(parts);
    await target.saveNode([parts[0]!]);
  } catch (error) {
    if (error instanceof RuleActionExecutionFailure) throw error;
    throw new RuleActionExecutionFailure(describe((error as Error).message));
  }
}

function capabilitiesOf(target: RuleTarget): { properties: Json; entries: string[] } {
  const properties = nodeField(target, 'properties');
  if (!isObject(properties)) throw new Error("'properties' is not a dictionary");
  const text = properties.capabilities;
  const entries = typeof text === 'string' && text.length > 0 ? text.split(',') : [];
  return { properties, entries };
}

/** The dictionary holding a dotted plugin data path's last key, made on the way; and that key. */
function pluginDataSlot(data: Json, path: string): { holder: Json; key: string } {
  const keys = path.split('.');
  let holder: Json = data;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(holder[key])) holder[key] = {};
    holder = holder[key] as Json;
  }
  return { holder, key: keys.at(-1)! };
}

/** Python's `setdefault(key, [])` of a plugin data path, then the list there. */
function pluginDataList(data: Json, path: string): unknown[] {
  const { holder, key } = pluginDataSlot(data, path);
  if (!Array.isArray(holder[key])) holder[key] = [];
  return holder[key] as unknown[];
}

function setPluginData(data: Json, path: string, value: unknown): void {
  const { holder, key } = pluginDataSlot(data, path);
  holder[key] = value;
}

function unsetPluginData(data: Json, path: string): boolean {
  const keys = path.split('.');
  const chain: Json[] = [data];
  for (const key of keys.slice(0, -1)) {
    const next = chain.at(-1)![key];
    if (!isObject(next)) return false;
    chain.push(next);
  }
  const holder = chain.at(-1)!;
  const last = keys.at(-1)!;
  if (!Object.hasOwn(holder, last)) return false;
  // A dictionary left empty goes too, as Ironic does one level up.
  if (Object.keys(holder).length === 1 && keys.length > 1) delete chain.at(-2)![keys.at(-2)!];
  else delete holder[last];
  return true;
}

function pluginDataAction(
  describe: string,
  run: (target: RuleTarget, path: string, args: Json) => void,
): Act {
  return (target, args) => {
    const path = pythonStr(args.path);
    try {
      run(target, path, args);
    } catch (error) {
      throw new RuleActionExecutionFailure(
        `Failed to ${describe} plugin data at ${path}: ${(error as Error).message}`,
      );
    }
  };
}

/** What each action does, given its interpolated named arguments. */
export const ACTION_RUNNERS: Readonly<Record<string, Act>> = {
  fail: (_target, { msg }) => {
    throw new HardwareInspectionFailure(pythonStr(msg));
  },
  log: (target, { msg, level = 'info' }) => {
    const name = pythonStr(level).toLowerCase();
    if (!LOG_LEVELS.includes(name)) {
      throw new InspectionRuleExecutionFailure(
        `Invalid log level: ${name}. Choose from ${LOG_LEVELS.join(', ')}`,
      );
    }
    target.log(name as RuleLogLevel, pythonStr(msg));
  },
  'set-attribute': (target, { path, value }) =>
    changeNode(
      target,
      path,
      (e) => `Failed to set attribute ${pythonStr(path)} with value ${pythonStr(value)}: ${e}`,
      (parts) => {
        if (parts.length === 1) {
          nodeField(target, parts[0]!);
          target.node[parts[0]!] = value;
          return;
        }
        parentOf(nodeField(target, parts[0]!), parts)[parts.at(-1)!] = value;
      },
    ),
  'extend-attribute': (target, { path, value, unique }) =>
    changeNode(
      target,
      path,
      (e) => `Failed to extend attribute ${pythonStr(path)}: ${e}`,
      (parts) => {
        let list: unknown;
        if (parts.length === 1) {
          list = nodeField(target, parts[0]!) ?? [];
          target.node[parts[0]!] = list;
        } else {
          const parent = parentOf(nodeField(target, parts[0]!), parts);
          if (!Object.hasOwn(parent, parts.at(-1)!)) parent[parts.at(-1)!] = [];
          list = parent[parts.at(-1)!];
        }
        if (!Array.isArray(list)) {
          throw new Error(
            `Cannot extend non-list attribute ${pythonStr(path)} with value ${pythonStr(value)}`,
          );
        }
        if (unique !== true || !list.some((item) => pythonEquals(item, value))) {
          list.push(value);
        }
      },
    ),
  'del-attribute': (target, { path }) =>
    changeNode(
      target,
      path,
      (e) => `Failed to delete attribute at ${pythonStr(path)}: ${e}`,
      (parts) => {
        if (parts.length === 1) {
          nodeField(target, parts[0]!);
          target.node[parts[0]!] = null;
          return;
        }
        let current = nodeField(target, parts[0]!);
        for (const part of parts.slice(1, -1)) {
          if (!isObject(current) || !Object.hasOwn(current, part)) throw new Error(`'${part}'`);
          current = current[part];
        }
        const last = parts.at(-1)!;
        if (!isObject(current) || !Object.hasOwn(current, last)) throw new Error(`'${last}'`);
        delete current[last];
      },
    ),
  'set-capability': (target, { name, value }) =>
    changeNode(
      target,
      'properties',
      (e) => `Failed to set capability ${pythonStr(name)}: ${e}`,
      () => {
        const { properties, entries } = capabilitiesOf(target);
        const key = pythonStr(name);
        const kept = entries.filter((entry) => entry.split(':')[0] !== key);
        properties.capabilities = [...kept, `${key}:${pythonStr(value)}`].join(',');
      },
    ),
  'unset-capability': (target, { name }) =>
    changeNode(
      target,
      'properties',
      (e) => `Failed to unset capability ${pythonStr(name)}: ${e}`,
      () => {
        const { properties, entries } = capabilitiesOf(target);
        const kept = entries.filter((entry) => entry.split(':')[0] !== pythonStr(name));
        if (kept.length === entries.length) return;
        properties.capabilities = kept.join(',');
      },
    ),
  'add-trait': (target, { name }) =>
    changeNode(
      target,
      'traits',
      (e) => `Failed to add new trait ${pythonStr(name)}: ${e}`,
      () => {
        const traits = (nodeField(target, 'traits') as string[] | null) ?? [];
        const trait = pythonStr(name);
        target.node.traits = traits.includes(trait) ? traits : [...traits, trait];
      },
    ),
  'remove-trait': async (target, { name }) => {
    const traits = (nodeField(target, 'traits') as string[] | null) ?? [];
    const trait = pythonStr(name);
    if (!traits.includes(trait)) {
      target.log('warning', `Failed to remove trait ${trait}: the node has no such trait`);
      return;
    }
    await changeNode(
      target,
      'traits',
      (e) => `Failed to remove trait ${trait}: ${e}`,
      () => {
        target.node.traits = traits.filter((t) => t !== trait);
      },
    );
  },
  'set-plugin-data': pluginDataAction('set', (target, path, { value }) =>
    setPluginData(target.pluginData, path, value),
  ),
  'extend-plugin-data': pluginDataAction('extend', (target, path, { value, unique }) => {
    const list = pluginDataList(target.pluginData, path);
    if (unique !== true || !list.some((item) => pythonEquals(item, value))) {
      list.push(value);
    }
  }),
  'unset-plugin-data': pluginDataAction('unset', (target, path) => {
    if (!unsetPluginData(target.pluginData, path)) target.log('warning', `Path ${path} not found`);
  }),
};
