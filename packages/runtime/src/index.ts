export {
  loadServiceConfig,
  checkAllOptionsKnown,
  type LoadedConfig,
  type LoadConfigOptions,
} from './config';
export { runMain, onShutdownSignal } from './main';
export { connectDatabase } from './database';
export { readServerTls, readCaFile, type ServerTls } from './tls';
export { exportRpcMetrics, exportGauge, exportCounter } from './metrics';
export {
  startStatusServer,
  type StatusServerOptions,
  type RunningStatusServer,
} from './status-server';
export { freeLocalPort } from './free-port';
export {
  startEmbeddedPostgres,
  EmbeddedPostgresStartFailed,
  type RunningEmbeddedPostgres,
} from './embedded-postgres';
