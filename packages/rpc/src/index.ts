export {
  defineRpcMethod,
  pingMethod,
  type RpcMethod,
  type RpcSchema,
  type RpcArgs,
  type RpcResult,
  type PingResult,
} from './method';
export { ContractVersion } from './contract-version';
export { RpcClient, type CallOptions, type RpcClientOptions } from './client';
export {
  RpcServer,
  type RpcCallContext,
  type RpcHandler,
  type RpcServerOptions,
  type DrainOutcome,
} from './server';
export type {
  RpcClientTransport,
  RpcServerTransport,
  OutgoingCall,
  IncomingCall,
  IncomingHeaders,
  QueueStats,
} from './transport';
export {
  AmqpTransport,
  type AmqpTransportOptions,
  type AmqpTransportMetrics,
} from './amqp/transport';
export type { AmqpServerOptions } from './amqp/server';
export type { AmqpClientOptions } from './amqp/client';
export { RpcCallNotSent, RpcCallNotDelivered, provesCallNotRun } from './delivery';
export type { BackoffOptions } from './amqp/backoff';
export { InProcessTransport } from './in-process';
export { HashRing, type HashRingOptions } from './hash-ring';
export {
  LATENCY_BUCKETS_MS,
  type LatencySnapshot,
  type RpcCallEvent,
  type RpcClientMetrics,
  type RpcServerMetrics,
} from './metrics';
export {
  conductorQueueName,
  HEADER_CALLER,
  HEADER_CONTRACT_VERSION,
  HEADER_DEADLINE,
  HEADER_ISSUED_AT,
  HEADER_MAC,
  HEADER_REQUEST_ID,
} from './wire';
export { MessageAuthenticator, MIN_MESSAGE_KEY_BYTES, type SignedCallFields } from './message-auth';
