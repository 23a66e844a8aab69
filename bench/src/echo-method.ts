import { z } from 'zod';
import { defineRpcMethod } from '@galvanic/rpc';

/** The contract version the benchmark's client and server speak. */
export const BENCH_CONTRACT_VERSION = '1.0';

const echo = z.strictObject({ node: z.string(), payload: z.string() });

/** A method that does no work, so the benchmark measures the RPC layer alone. */
export const echoMethod = defineRpcMethod('bench_echo', echo, echo);
