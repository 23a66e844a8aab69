export { createLogger, silentLogger, type Logger, type LoggerOptions } from './logger';
export { runWithLogContext, currentLogContext, type LogContext } from './context';
export { redactSecrets, isSecretKey, MASK } from './redact';
