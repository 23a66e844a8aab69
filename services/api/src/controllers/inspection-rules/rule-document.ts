import type { InspectionRuleFields, InspectionRuleOperation } from '@galvanic/db';
import { Invalid, InvalidParameterValue } from '@galvanic/errors';
import {
  ACTION_OPERATORS,
  CONDITION_OPERATORS,
  INSPECTION_PHASES,
  MAX_USER_PRIORITY,
  MULTIPLE_MODES,
  UNSUPPORTED_ACTIONS,
  argumentProblem,
  parseInvertedOperator,
} from '@galvanic/inspection-rules';
import { echoable } from '../../http/echo';
import { pythonRepr } from '../../resources/rules';

/** A rule's values after its document was checked, with Ironic's defaults filled in. */
export type RuleValues = Required<InspectionRuleFields> & { uuid?: string | null };

const CONDITION_OPS = [
  ...Object.keys(CONDITION_OPERATORS),
  ...Object.keys(CONDITION_OPERATORS).map((op) => `!${op}`),
];
const ACTION_OPS = Object.keys(ACTION_OPERATORS);

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Checks one condition or action against Ironic's schema of the rule body, in its words;
 * returns it with the members Ironic keeps (`op`, `args`, `loop`, and a condition's `multiple`).
 */
function checkOperation(
  fail: (message: string) => Error,
  item: unknown,
  ops: readonly string[],
  condition: boolean,
): InspectionRuleOperation {
  if (!isObject(item)) throw fail(`${pythonRepr(echoable(item))} is not of type 'object'`);
  for (const member of ['op', 'args']) {
    if (!Object.hasOwn(item, member)) throw fail(`'${member}' is a required property`);
  }
  if (typeof item.op !== 'string' || !ops.includes(item.op))
    throw fail(`${pythonRepr(echoable(item.op))} is not one of ${pythonRepr(ops)}`);
  for (const member of ['args', 'loop']) {
    const value = item[member];
    if (value !== undefined && !Array.isArray(value) && !isObject(value))
      throw fail(`${pythonRepr(echoable(value))} is not of type 'array', 'object'`);
  }
  if (condition && item.multiple !== undefined && !MULTIPLE_MODES.includes(item.multiple as never))
    throw fail(
      `${pythonRepr(echoable(item.multiple))} is not one of ${pythonRepr(MULTIPLE_MODES)}`,
    );
  const kept: InspectionRuleOperation = { op: item.op, args: item.args };
  if (item.loop !== undefined) kept.loop = item.loop;
  if (condition && item.multiple !== undefined) kept.multiple = item.multiple;
  return kept;
}

/**
 * Checks a rule's conditions, actions, phase and priority as Ironic does once the body's
 * members have their types (`name` is what schema messages call the document): the schema of
 * each condition and action, then each operator's arguments, then the phase and priority.
 */
export function checkRuleDocument(name: string, values: Record<string, unknown>): RuleValues {
  const fail = (message: string) =>
    new InvalidParameterValue(`Schema error for ${name}: ${message}`);
  const actionsGiven = values.actions as unknown[];
  if (actionsGiven.length === 0) throw fail('[] is too short');
  if (typeof values.priority === 'number' && values.priority < 0)
    throw fail(`${values.priority} is less than the minimum of 0`);
  const actions = actionsGiven.map((a) => checkOperation(fail, a, ACTION_OPS, false));
  const conditions = ((values.conditions as unknown[] | undefined) ?? []).map((c) =>
    checkOperation(fail, c, CONDITION_OPS, true),
  );

  for (const condition of conditions) {
    const { op } = parseInvertedOperator(condition.op);
    const problem = argumentProblem(CONDITION_OPERATORS[op]!, condition.args);
    if (problem) throw new Invalid(problem);
  }
  for (const action of actions) {
    if (UNSUPPORTED_ACTIONS.includes(action.op))
      throw new Invalid(`Unsupported action operator: ${action.op}`);
    const problem = argumentProblem(ACTION_OPERATORS[action.op]!, action.args);
    if (problem) throw new Invalid(problem);
  }

  const phase = (values.phase as string | null | undefined) ?? 'main';
  const priority = (values.priority as number | undefined) ?? 0;
  const errors: string[] = [];
  if (!INSPECTION_PHASES.includes(phase))
    errors.push(`Invalid phase: ${phase}. Valid phases are: ${INSPECTION_PHASES.join(', ')}`);
  if (priority > MAX_USER_PRIORITY)
    errors.push(`Priority must be between 0 and ${MAX_USER_PRIORITY} for user-defined rules.`);
  if (errors.length === 1) throw new Invalid(errors[0]!);
  if (errors.length > 1)
    throw new Invalid(`Multiple validation errors occurred: ${errors.join('; ')}`);

  return {
    uuid: values.uuid as string | null | undefined,
    description: (values.description as string | null | undefined) ?? null,
    phase,
    priority,
    sensitive: (values.sensitive as boolean | null | undefined) ?? false,
    conditions,
    actions,
  };
}
