import { namedArguments, type OperationSignature } from './operations';

/**
 * Checks an operation's `args` against its operator's signature as Ironic does when a rule is
 * saved; returns the problem in Ironic's words, or undefined when the arguments fit.
 */
export function argumentProblem(sig: OperationSignature, args: unknown): string | undefined {
  let named: Record<string, unknown> | undefined;
  try {
    named = namedArguments(sig, args);
  } catch (error) {
    return (error as Error).message;
  }
  if (!named) return 'args must be either a list or dictionary';
  const given = Object.keys(named);
  const known = new Set([...sig.required, ...sig.optional]);
  const missing = sig.required.filter((name) => !given.includes(name));
  const unexpected = given.filter((name) => !known.has(name));
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`missing required argument(s): ${missing.join(', ')}`);
  if (unexpected.length > 0) problems.push(`unexpected argument(s): ${unexpected.join(', ')}`);
  return problems.length > 0 ? problems.join('; ') : undefined;
}
