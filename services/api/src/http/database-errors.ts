import {
  Conflict,
  InvalidParameterValue,
  TemporaryFailure,
  type GalvanicError,
} from '@galvanic/errors';

/** Node and PostgreSQL error codes meaning the database cannot be reached or is going away. */
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

/** Transactions PostgreSQL ended so that a concurrent one could go on: retrying succeeds. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

/**
 * What pg and typeorm say when a connection could not be had or was lost: for errors that lost
 * their code on the way (relayed over RPC from a conductor, say).
 */
const UNAVAILABLE_MESSAGES = [
  /\b(?:ECONNREFUSED|ECONNRESET)\b/,
  /terminating connection due to administrator command/i,
  /the database system is (?:starting up|shutting down|in recovery mode)/i,
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection (?:is )?not established/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
];

/** PostgreSQL's own wording of the errors a query can end with, connection failures aside. */
const DATABASE_MESSAGES = [
  /invalid input syntax for/i,
  /violates (?:unique|foreign key|not-null|check) constraint/i,
  /duplicate key value/i,
  /value too long for type/i,
  /out of range for type/i,
  /invalid byte sequence for encoding/i,
  /unsupported Unicode escape sequence/i,
  /null value in column/i,
  /(?:relation|column|function|type) "[^"]*" does not exist/i,
  /syntax error at or near/i,
  /current transaction is aborted/i,
  /could not serialize access/i,
  /deadlock detected/i,
  /canceling statement due to/i,
  /stack depth limit exceeded/i,
];

/**
 * Whether an error's text is one PostgreSQL or its driver wrote: for errors that reach the api
 * as text only (an InternalError relayed over RPC), which must not be shown to a client.
 */
export function looksLikeDatabaseError(message: string): boolean {
  return [...UNAVAILABLE_MESSAGES, ...DATABASE_MESSAGES].some((pattern) => pattern.test(message));
}

const UNAVAILABLE_NAMES: ReadonlySet<string> = new Set([
  'CannotExecuteNotConnectedError',
  'ConnectionIsNotSetError',
]);

/** Seconds a client is told to wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

interface ErrorFacts {
  codes: string[];
  messages: string[];
  names: string[];
}

/** The codes, messages and names of an error and of what it wraps (typeorm, AggregateError). */
function factsOf(error: unknown): ErrorFacts {
  const facts: ErrorFacts = { codes: [], messages: [], names: [] };
  const pending: unknown[] = [error];
  for (let seen = 0; pending.length > 0 && seen < 16; seen += 1) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null) continue;
    const record = current as Record<string, unknown>;
    if (typeof record.code === 'string') facts.codes.push(record.code);
    if (typeof record.message === 'string') facts.messages.push(record.message);
    if (typeof record.name === 'string') facts.names.push(record.name);
    pending.push(record.driverError, record.cause);
    if (Array.isArray(record.errors)) pending.push(...(record.errors as unknown[]));
  }
  return facts;
}

/**
 * The client's view of an error coming from the database driver, when it is one the client can
 * act on: the database unreachable or a transaction ended by a concurrent one (503, retry), a
 * value it cannot store (400), a uniqueness or reference conflict (409). Undefined for anything else, which stays a plain 500. The driver's
 * own text never goes into the result.
 */
export function clientErrorForDatabase(error: unknown): GalvanicError | undefined {
  const { codes, messages, names } = factsOf(error);
  const unavailable =
    codes.some((code) => UNAVAILABLE_CODES.has(code) || code.startsWith('08')) ||
    names.some((name) => UNAVAILABLE_NAMES.has(name)) ||
    messages.some((message) => UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message)));
  if (unavailable) {
    return new TemporaryFailure('The database is temporarily unavailable, please retry.');
  }
  if (codes.some((code) => RETRYABLE_CODES.has(code))) {
    return new TemporaryFailure('The request collided with a concurrent one, please retry.');
  }
  const sqlState = codes.find((code) => /^[0-9A-Z]{5}$/.test(code));
  if (sqlState?.startsWith('22')) {
    return new InvalidParameterValue('The request has a value the database cannot store.');
  }
  if (sqlState?.startsWith('23')) {
    return new Conflict('The request conflicts with the current state of the resource.');
  }
  return undefined;
}
