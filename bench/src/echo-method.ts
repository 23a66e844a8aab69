import Joi from 'joi';
import { defineRpcMethod } from '@galvanic/rpc';

export interface EchoArgs {
  node: string;
  payload: string;
}

/** A method that does no work, so the benchmark measures the RPC layer alone. */
export const echoMethod = defineRpcMethod<EchoArgs, EchoArgs>(
  'bench_echo',
  Joi.object<EchoArgs>({
    node: Joi.string().required(),
    payload: Joi.string().allow('').required(),
  }),
  Joi.object<EchoArgs>({
    node: Joi.string().required(),
    payload: Joi.string().allow('').required(),
  }),
);
