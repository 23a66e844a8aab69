import { Invalid, InvalidParameterValue } from '@galvanic/errors';
import { pythonRepr } from './rules';

/** A step as a template or runbook keeps it: Ironic's `{interface, step, args, priority}`. */
export interface StepDeclaration {
  interface: string;
  step: string;
  args: Record<string, unknown>;
  priority: number;
}

/** A runbook's step (API 1.92): Ironic's `{interface, step, args, order}`. */
export interface RunbookStepDeclaration {
  interface: string;
  step: string;
  args: Record<string, unknown>;
  order: number;
}

type OrderKey = 'priority' | 'order';

/**
 * Checks the steps of a deploy template or runbook as Ironic's step schema does (`interfaces`
 * are those its steps may run on) and normalises priorities given as digit strings; `name` is
 * what schema messages call the document. A step named twice is Ironic's `duplicate_steps`.
 */
export function checkSteps(
  name: string,
  value: unknown,
  interfaces: readonly string[],
  duplicateError: (duplicates: string) => Error,
): StepDeclaration[] {
  return checkStepList(name, value, interfaces, 'priority', duplicateError).map(
    ({ order, ...step }) => ({ ...step, priority: order }),
  );
}

/** A runbook's steps: as deploy templates', with `order` for `priority` and `args` optional. */
export function checkRunbookSteps(
  name: string,
  value: unknown,
  interfaces: readonly string[],
  duplicateError: (duplicates: string) => Error,
): RunbookStepDeclaration[] {
  return checkStepList(name, value, interfaces, 'order', duplicateError);
}

function checkStepList(
  name: string,
  value: unknown,
  interfaces: readonly string[],
  orderKey: OrderKey,
  duplicateError: (duplicates: string) => Error,
): RunbookStepDeclaration[] {
  const members = ['interface', 'step', 'args', orderKey];
  const required = orderKey === 'priority' ? members : ['interface', 'step', orderKey];
  const fail = (message: string) =>
    new InvalidParameterValue(`Schema error for ${name}: ${message}`);
  if (!Array.isArray(value)) throw fail(`${pythonRepr(value)} is not of type 'array'`);
  if (value.length === 0) throw fail('[] is too short');
  const steps = value.map((raw: unknown) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw fail(`${pythonRepr(raw)} is not of type 'object'`);
    const step = raw as Record<string, unknown>;
    const extra = Object.keys(step).filter((key) => !members.includes(key));
    if (extra.length > 0) {
      const list = extra.map((key) => pythonRepr(key)).join(', ');
      throw fail(
        `Additional properties are not allowed (${list} ${extra.length === 1 ? 'was' : 'were'} unexpected)`,
      );
    }
    for (const member of required) {
      if (!Object.hasOwn(step, member)) throw fail(`'${member}' is a required property`);
    }
    if (typeof step.interface !== 'string' || !interfaces.includes(step.interface))
      throw fail(`${pythonRepr(step.interface)} is not one of ${pythonRepr(interfaces)}`);
    if (typeof step.step !== 'string' || step.step.length === 0)
      throw fail(`${pythonRepr(step.step)} is not of type 'string'`);
    const args = step.args ?? {};
    if (typeof args !== 'object' || args === null || Array.isArray(args))
      throw fail(`${pythonRepr(step.args)} is not of type 'object'`);
    const order = step[orderKey];
    const valid =
      (typeof order === 'number' && Number.isInteger(order) && order >= 0) ||
      (typeof order === 'string' && /^[0-9]+$/.test(order));
    if (!valid) throw fail(`${pythonRepr(order)} is not valid under any of the given schemas`);
    return {
      interface: step.interface,
      step: step.step,
      args: args as Record<string, unknown>,
      order: Number(order),
    };
  });
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const step of steps) {
    const key = `interface: ${step.interface}, step: ${step.step}`;
    if (seen.has(key)) duplicates.add(key);
    seen.add(key);
  }
  if (duplicates.size > 0) throw duplicateError([...duplicates].join('; '));
  return steps;
}

/** Ironic's InvalidDeployTemplate; its runbooks answer duplicate steps with it too. */
export function invalidDeployTemplate(duplicates: string): Invalid {
  return new Invalid(
    'Deploy template invalid: Duplicate deploy steps. A template cannot have multiple deploy ' +
      `steps with the same interface and step. Duplicates: ${duplicates}.`,
  );
}
