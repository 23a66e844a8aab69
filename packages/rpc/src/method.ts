import { z } from 'zod';
import { InvalidParameterValue } from '@galvanic/errors';

/**
 * The schema of a message, from which its TypeScript type is inferred. Its input and output types
 * are the same (no transforms, no defaults), so what a caller sends is what a handler receives.
 */
export type RpcSchema<T> = z.ZodType<T, T>;

/** One RPC method: its name on the wire and the schemas its arguments and result must satisfy. */
export interface RpcMethod<Args, Result> {
  readonly name: string;
  readonly args: RpcSchema<Args>;
  readonly result: RpcSchema<Result>;
}

/** The arguments a method takes, as inferred from its schema. */
export type RpcArgs<M> = M extends RpcMethod<infer Args, infer _Result> ? Args : never;
/** The result a method answers with, as inferred from its schema. */
export type RpcResult<M> = M extends RpcMethod<infer _Args, infer Result> ? Result : never;

/**
 * Declares a method from its two schemas; `Args` and `Result` are inferred from them, so a
 * message has one definition that both checks it at run time and types it at compile time.
 */
export function defineRpcMethod<Args, Result>(
  name: string,
  args: RpcSchema<Args>,
  result: RpcSchema<Result>,
): RpcMethod<Args, Result> {
  return Object.freeze({ name, args, result });
}

/** Built in: every RpcServer answers it, so callers can check a conductor is up and consuming. */
export const pingMethod = defineRpcMethod(
  'ping',
  z.strictObject({}),
  z.object({ host: z.string(), time: z.number() }),
);

export type PingResult = RpcResult<typeof pingMethod>;

export type Validation<T> = { ok: true; value: T } | { ok: false; message: string };

export function validate<T>(schema: RpcSchema<T>, value: unknown): Validation<T> {
  const outcome = schema.safeParse(value);
  if (outcome.success) return { ok: true, value: outcome.data };
  return { ok: false, message: describeIssues(outcome.error.issues) };
}

/** `changes.power_state: Unrecognized key` style text, one clause per problem found. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.map(String).join('.');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Validates arguments before they leave the caller: a failure is the caller's programming error. */
export function validateArgsOrThrow<A>(method: RpcMethod<A, unknown>, args: unknown): A {
  const outcome = validate(method.args, args);
  if (!outcome.ok) {
    throw new InvalidParameterValue(
      `Invalid arguments for RPC method ${method.name}: ${outcome.message}`,
    );
  }
  return outcome.value;
}
