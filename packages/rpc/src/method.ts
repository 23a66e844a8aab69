import Joi from 'joi';
import { InvalidParameterValue } from '@galvanic/errors';

/** One RPC method: its name on the wire and the schemas its arguments and result must satisfy. */
export interface RpcMethod<Args, Result> {
  readonly name: string;
  readonly args: Joi.Schema<Args>;
  readonly result: Joi.Schema<Result>;
}

export function defineRpcMethod<Args, Result>(
  name: string,
  args: Joi.Schema<Args>,
  result: Joi.Schema<Result>,
): RpcMethod<Args, Result> {
  return Object.freeze({ name, args, result });
}

export interface PingResult {
  host: string;
  time: number;
}

/** Built in: every RpcServer answers it, so callers can check a conductor is up and consuming. */
export const pingMethod: RpcMethod<Record<string, never>, PingResult> = defineRpcMethod(
  'ping',
  Joi.object<Record<string, never>>({}),
  Joi.object<PingResult>({ host: Joi.string().required(), time: Joi.number().required() }),
);

export type Validation<T> = { ok: true; value: T } | { ok: false; message: string };

export function validate<T>(schema: Joi.Schema<T>, value: unknown): Validation<T> {
  const outcome = schema.validate(value, { abortEarly: false });
  if (outcome.error) return { ok: false, message: outcome.error.message };
  return { ok: true, value: outcome.value as T };
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
