import { GalvanicError, InternalError } from '@galvanic/errors';
import { ACTION_RUNNERS, type RuleTarget } from './actions';
import { CONDITION_CHECKS } from './conditions';
import { interpolate, type FormatContext } from './interpolation';
import {
  ACTION_OPERATORS,
  CONDITION_OPERATORS,
  namedArguments,
  parseInvertedOperator,
  type OperationSignature,
} from './operations';

/** A condition or action as a rule stores it. */
export type RuleOperation = Readonly<Record<string, unknown>> & { readonly op: string };

/** What the engine needs of a stored rule. */
export interface RunnableRule {
  readonly uuid: string;
  readonly priority: number;
  readonly sensitive: boolean;
  readonly conditions: readonly RuleOperation[];
  readonly actions: readonly RuleOperation[];
}

/** Keys whose values rules read as `***` in the inventory and plugin data (`mask_secrets=always`). */
const SENSITIVE_KEYS: ReadonlySet<string> = new Set(['password', 'auth_token', 'bmc_password']);

function masked(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(masked);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SENSITIVE_KEYS.has(k) ? '***' : masked(v)]),
    );
  }
  return value;
}

/** The arguments of one operation, named and interpolated as Ironic does for its operator. */
function argumentsOf(
  sig: OperationSignature,
  operation: RuleOperation,
  context: FormatContext,
  inLoop: boolean,
  op: string,
): Record<string, unknown> {
  const named = namedArguments(sig, operation.args ?? {});
  if (!named) throw new Error('args must be either a list or dictionary');
  const options = { inLoop, emptyIfMissing: op === 'is-empty' };
  return Object.fromEntries(
    Object.entries(named).map(([key, value]) => [
      key,
      inLoop || sig.formatted.includes(key) ? interpolate(value, context, options) : value,
    ]),
  );
}

/** The loop items of an operation (a dictionary is one item), or undefined without a loop. */
function loopItems(operation: RuleOperation): unknown[] | undefined {
  const loop = operation.loop;
  if (Array.isArray(loop)) return loop.length > 0 ? loop : undefined;
  if (loop !== null && typeof loop === 'object') {
    return Object.keys(loop).length > 0 ? [loop] : undefined;
  }
  return undefined;
}

function checkOnce(condition: RuleOperation, context: FormatContext, inLoop: boolean): boolean {
  const { op, inverted } = parseInvertedOperator(condition.op);
  const sig = CONDITION_OPERATORS[op];
  const check = CONDITION_CHECKS[op];
  if (!sig || !check) {
    throw new Error(
      `Unsupported operator: '${op}'. Supported operators are: ` +
        `${Object.keys(CONDITION_OPERATORS).join(', ')}.`,
    );
  }
  const args = argumentsOf(sig, condition, context, inLoop, op);
  // Interpolation turns numbers into text inside a loop: compare everything as text there.
  if (inLoop && sig.optional.includes('force_strings')) args.force_strings = true;
  const result = check(args);
  return inverted ? !result : result;
}

/** A condition, over its loop items when it has them, combined by its `multiple` mode. */
function conditionHolds(condition: RuleOperation, context: FormatContext): boolean {
  const items = loopItems(condition);
  if (!items) return checkOnce(condition, context, false);
  const multiple = typeof condition.multiple === 'string' ? condition.multiple : 'any';
  if (!Array.isArray(condition.loop)) {
    return checkOnce(condition, { ...context, item: items[0] }, true);
  }
  let results: boolean[] = [];
  for (const item of items) {
    const result = checkOnce(condition, { ...context, item }, true);
    results.push(result);
    if (multiple === 'first' && result) return true;
    if (multiple === 'last') results = [result];
  }
  if (multiple === 'any') return results.some(Boolean);
  if (multiple === 'all') return results.every(Boolean);
  return results[0] ?? false;
}

async function runAction(action: RuleOperation, target: RuleTarget, context: FormatContext) {
  const sig = ACTION_OPERATORS[action.op];
  const run = ACTION_RUNNERS[action.op];
  if (!sig || !run) {
    throw new Error(
      `Unsupported action: '${action.op}'. Supported actions are: ` +
        `${Object.keys(ACTION_RUNNERS).join(', ')}.`,
    );
  }
  const items = loopItems(action);
  if (!items) return run(target, argumentsOf(sig, action, context, false, action.op));
  for (const item of items) {
    await run(target, argumentsOf(sig, action, { ...context, item }, true, action.op));
  }
}

/**
 * Applies inspection rules to a node, as Ironic's rule engine does after inspection: from the
 * highest priority down, a rule whose conditions all hold has its actions run in order. Node
 * changes are saved as each action makes them. A failing rule stops the run: `fail` throws
 * HardwareInspectionFailure with its message, Ironic's execution failures are thrown as they
 * are, and anything else as "Failed to apply rule ...".
 */
export async function runInspectionRules(
  rules: readonly RunnableRule[],
  target: RuleTarget,
  nodeUuid: string,
): Promise<void> {
  const ordered = [...rules].sort((a, b) => b.priority - a.priority);
  for (const rule of ordered) {
    const context: FormatContext = {
      node: target.node,
      inventory: masked(target.inventory),
      plugin_data: masked(target.pluginData),
    };
    try {
      if (!rule.conditions.every((condition) => conditionHolds(condition, context))) continue;
      target.log('info', `Applying actions for rule ${rule.uuid} to node ${nodeUuid}`);
      for (const action of rule.actions) await runAction(action, target, context);
    } catch (error) {
      if (error instanceof GalvanicError) throw error;
      throw new InternalError(
        `Failed to apply rule ${rule.uuid} to node ${nodeUuid}: ${(error as Error).message}`,
      );
    }
  }
}
