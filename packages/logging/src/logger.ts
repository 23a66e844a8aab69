import winston from 'winston';
import { BatchedStdoutTransport } from './batched-stdout';
import { currentLogContext } from './context';
import { isSecretKey, MASK, redactSecrets } from './redact';

/** The logging surface Galvanic's packages depend on; a winston logger satisfies it. */
export interface Logger {
  error(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
  info(message: string, meta?: Record<string, unknown>): unknown;
  debug(message: string, meta?: Record<string, unknown>): unknown;
  child(meta: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  /** The service writing the lines: `api`, `conductor`, `all-in-one`. */
  service: string;
  /** The host name of this process (`[DEFAULT] host` for a conductor). */
  host: string;
  level?: string;
  /** Where lines go; standard output when absent. */
  stream?: NodeJS.WritableStream;
}

const addContext = winston.format((info) => {
  const context = currentLogContext();
  if (context?.requestId && info.request_id === undefined) info.request_id = context.requestId;
  if (context?.caller && info.caller === undefined) info.caller = context.caller;
  return info;
});

const redact = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'message') continue;
    const value = info[key];
    if (value === null || value === undefined) continue;
    info[key] = isSecretKey(key) ? MASK : redactSecrets(value);
  }
  return info;
});

const errorsToText = winston.format((info) => {
  for (const [key, value] of Object.entries(info)) {
    if (value instanceof Error) info[key] = { name: value.name, message: value.message };
  }
  return info;
});

/**
 * Skips disabled levels before winston formats the line: winston runs its formats (context,
 * redaction, JSON) for every call and filters by level only afterwards, which made debug lines on
 * hot paths cost as much as written ones.
 */
class LevelGatedLogger implements Logger {
  constructor(private readonly inner: winston.Logger) {}

  error(message: string, meta?: Record<string, unknown>): void {
    if (this.inner.isErrorEnabled()) this.inner.error(message, meta);
  }
  warn(message: string, meta?: Record<string, unknown>): void {
    if (this.inner.isWarnEnabled()) this.inner.warn(message, meta);
  }
  info(message: string, meta?: Record<string, unknown>): void {
    if (this.inner.isInfoEnabled()) this.inner.info(message, meta);
  }
  debug(message: string, meta?: Record<string, unknown>): void {
    if (this.inner.isDebugEnabled()) this.inner.debug(message, meta);
  }
  child(meta: Record<string, unknown>): Logger {
    return new LevelGatedLogger(this.inner.child(meta));
  }
}

/** A winston logger writing one JSON object per line, with request id and host on each line. */
export function createLogger(options: LoggerOptions): Logger {
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new BatchedStdoutTransport();
  const logger = winston.createLogger({
    level: options.level ?? process.env.GALVANIC_LOG_LEVEL ?? 'info',
    defaultMeta: { service: options.service, host: options.host },
    format: winston.format.combine(
      addContext(),
      errorsToText(),
      redact(),
      winston.format.timestamp(),
      winston.format.json(),
    ),
    transports: [transport],
  });
  return new LevelGatedLogger(logger);
}

/** A logger that drops everything: for unit tests and libraries used without logging. */
export function silentLogger(): Logger {
  return new LevelGatedLogger(
    winston.createLogger({
      level: 'error',
      silent: true,
      transports: [new winston.transports.Console()],
    }),
  );
}
