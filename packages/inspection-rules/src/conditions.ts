import { BlockList, isIP } from 'node:net';
import { InspectionRuleExecutionFailure, RuleConditionCheckFailure } from '@galvanic/errors';
import { pythonCompare, pythonEquals, pythonTypeName } from './comparison';
import { pythonStr } from './interpolation';

type Check = (args: Record<string, unknown>) => boolean;

function compareChain(name: string, holds: (a: unknown, b: unknown) => boolean): Check {
  return ({ values, force_strings: forceStrings }) => {
    if (!Array.isArray(values)) {
      throw new RuleConditionCheckFailure(
        `Failed to check condition: '${name}' on values: ${pythonStr(values)}: Expected list ` +
          `for 'values', got: ${pythonTypeName(values)}`,
      );
    }
    const list = forceStrings === true ? values.map(pythonStr) : values;
    return list.every((value, i) => i === 0 || holds(list[i - 1], value));
  };
}

function regex(pattern: unknown): RegExp {
  try {
    return new RegExp(pythonStr(pattern));
  } catch (error) {
    throw new InspectionRuleExecutionFailure(
      `invalid regular expression: ${(error as Error).message}`,
    );
  }
}

function inNetwork(address: unknown, subnet: unknown): boolean {
  const [network, prefixText] = pythonStr(subnet).split('/');
  const family = isIP(network ?? '');
  const bits = family === 6 ? 128 : 32;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > bits) {
    throw new InspectionRuleExecutionFailure(
      `invalid value: invalid IPNetwork ${pythonStr(subnet)}`,
    );
  }
  const text = pythonStr(address);
  const addressFamily = isIP(text);
  if (addressFamily === 0) throw new Error(`failed to detect a valid IP address from '${text}'`);
  if (addressFamily !== family) return false;
  const list = new BlockList();
  const type = family === 6 ? 'ipv6' : 'ipv4';
  list.addSubnet(network!, prefix, type);
  return list.check(text, type);
}

function isTrue(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return ['yes', 'true'].includes(value.toLowerCase());
  return false;
}

function isFalse(value: unknown): boolean {
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'number') return value === 0;
  if (typeof value === 'string') return ['no', 'false'].includes(value.toLowerCase());
  return value === null || value === undefined;
}

/** What each condition operator checks, given its interpolated named arguments. */
export const CONDITION_CHECKS: Readonly<Record<string, Check>> = {
  eq: compareChain('eq', pythonEquals),
  lt: compareChain('lt', (a, b) => pythonCompare(a, b, '<') < 0),
  gt: compareChain('gt', (a, b) => pythonCompare(a, b, '>') > 0),
  'is-empty': ({ value }) => ['', 'None', '[]', '{}'].includes(pythonStr(value)),
  'in-net': ({ address, subnet }) => inNetwork(address, subnet),
  matches: ({ value, regex: pattern }) => {
    let text = pythonStr(pattern);
    if (!text.endsWith('$')) text += '$';
    regex(text);
    return new RegExp(`^(?:${text})`).test(pythonStr(value));
  },
  contains: ({ value, regex: pattern }) => regex(pattern).test(pythonStr(value)),
  'one-of': ({ value, values }) =>
    Array.isArray(values)
      ? values.some((candidate) => pythonEquals(value, candidate))
      : typeof values === 'string' && typeof value === 'string' && values.includes(value),
  'is-none': ({ value }) => value === null || value === undefined,
  'is-true': ({ value }) => isTrue(value),
  'is-false': ({ value }) => isFalse(value),
};
