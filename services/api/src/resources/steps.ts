import { Invalid, InvalidParameterValue } from '@galvanic/errors';
import { pythonRepr } from './rules';

/** A step as a template or runbook keeps it: Ironic's `{interface, step, args, priority}`. */
export interface StepDeclaration {
  interface: string;
  step: string;
  args: Record<string, unknown>;
  priority: number;
}

const STEP_MEMBERS = ['interface', 'step', 'args', 'priority'];

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
  const fail = (message: string) =>
    new InvalidParameterValue(`Schema error for ${name}: ${message}`);
  if (!Array.isArray(value)) throw fail(`${pythonRepr(value)} is not of type 'array'`);
  if (value.length === 0) throw fail('[] is too short');
  const steps = value.map((raw: unknown) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw fail(`${pythonRepr(raw)} is not of type 'object'`);
    const step = raw as Record<string, unknown>;
    const extra = Object.keys(step).filter((key) => !STEP_MEMBERS.includes(key));
    if (extra.length > 0) {
      const list = extra.map((key) => pythonRepr(key)).join(', ');
      throw fail(
        `Additional properties are not allowed (${list} ${extra.length === 1 ? 'was' : 'were'} unexpected)`,
      );
    }
    for (const member of STEP_MEMBERS) {
      if (!Object.hasOwn(step, member)) throw fail(`'${member}' is a required property`);
    }
    if (typeof step.interface !== 'string' || !interfaces.includes(step.interface))
      throw fail(`${pythonRepr(step.interface)} is not one of ${pythonRepr(interfaces)}`);
    if (typeof step.step !== 'string' || step.step.length === 0)
      throw fail(`${pythonRepr(step.step)} is not of type 'string'`);
    if (typeof step.args !== 'object' || step.args === null || Array.isArray(step.args))
      throw fail(`${pythonRepr(step.args)} is not of type 'object'`);
    const priority = step.priority;
    const valid =
      (typeof priority === 'number' && Number.isInteger(priority) && priority >= 0) ||
      (typeof priority === 'string' && /^[0-9]+$/.test(priority));
    if (!valid) throw fail(`${pythonRepr(priority)} is not valid under any of the given schemas`);
    return {
      interface: step.interface,
      step: step.step,
      args: step.args as Record<string, unknown>,
      priority: Number(priority),
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

/** Ironic's InvalidDeployTemplate. */
export function invalidDeployTemplate(duplicates: string): Invalid {
  return new Invalid(
    'Deploy template invalid: Duplicate deploy steps. A template cannot have multiple deploy ' +
      `steps with the same interface and step. Duplicates: ${duplicates}.`,
  );
}
