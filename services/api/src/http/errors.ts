import type { NextFunction, Request, Response } from 'express';
import {
  BadRequest,
  GalvanicError,
  InternalError,
  httpErrorBody,
  ironicErrorBody,
} from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import {
  clientErrorForDatabase,
  DATABASE_RETRY_AFTER_SECONDS,
  looksLikeDatabaseError,
} from './database-errors';

/** Seconds a client is told to wait before retrying a 503. */
const RETRY_AFTER_SECONDS = 2;

/** Routing errors in the shape Ironic's web framework writes them. */
export function notFound(_req: Request, res: Response): void {
  res.status(404).json(httpErrorBody(404, 'Not Found', 'The resource could not be found.'));
}

/** A plain 404 for paths that did not exist before microversion 1.`minor`, as Ironic answers. */
export function notFoundBefore(minor: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.apiVersion.minor < minor) notFound(req, res);
    else next();
  };
}

/**
 * Answers 405 with the `Allow` header for methods a resource does not take. Methods it does
 * take but that no handler answered fall through to the next handler (a 404).
 */
export function methodNotAllowed(allowed: readonly string[]) {
  const allow = [...allowed].sort().join(', ');
  return (req: Request, res: Response, next: NextFunction): void => {
    if (allowed.includes(req.method) || (req.method === 'HEAD' && allowed.includes('GET'))) {
      return next();
    }
    res.setHeader('Allow', allow);
    res.status(405).json(httpErrorBody(405, 'Method Not Allowed'));
  };
}

/**
 * A client error from express itself: an http-errors error it exposes, or the URIError its router
 * raises for a path parameter it cannot percent-decode.
 */
function expressClientError(error: unknown): BadRequest | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  const isClientStatus = typeof status === 'number' && status >= 400 && status < 500;
  if (isClientStatus && (expose === true || error instanceof URIError))
    return new BadRequest('The request could not be understood.');
  return undefined;
}

const UNKNOWN_EXCEPTION = 'An unknown exception occurred.';

/**
 * A conductor's unexpected failure relayed over RPC as an InternalError carrying the raw text of a
 * database error it caught. (A driver's own failure keeps its message, as in Ironic.)
 */
function isRelayedDatabaseError(error: GalvanicError): boolean {
  return error.kind === 'InternalError' && looksLikeDatabaseError(error.message);
}

/** What a client is told: a Galvanic error as it is, a database or express error mapped, else 500. */
function clientError(error: unknown): GalvanicError {
  if (error instanceof GalvanicError && !isRelayedDatabaseError(error)) return error;
  return (
    clientErrorForDatabase(error) ??
    expressClientError(error) ??
    new InternalError(UNKNOWN_EXCEPTION)
  );
}

/** The parts of an error worth a log line: never its query parameters, which hold secrets. */
function describeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { code } = error as { code?: unknown };
  return { name: error.name, message: error.message, code, stack: error.stack };
}

/**
 * Turns any error into Ironic's error body. Galvanic errors keep their status and text; errors
 * from the database driver become a 503 with `Retry-After` when it is unreachable, or a 400/409
 * without its text; anything else is a 500 whose details go to the log, never to the client.
 */
export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const known = clientError(error);
    if (known !== error) {
      const level = known.status >= 500 ? 'error' : 'warn';
      logger[level]('request failed', {
        requestId: req.requestId,
        method: req.method,
        path: req.path,
        status: known.status,
        error: describeError(error),
      });
    } else if (known.status >= 500) {
      logger.error('request failed', {
        requestId: req.requestId,
        method: req.method,
        path: req.path,
        error: describeError(error),
      });
    }
    if (res.headersSent) return;
    // Every 503 is a passing condition (no database, no broker, no conductor): say when trying
    // again makes sense.
    if (known.kind === 'TemporaryFailure')
      res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    else if (known.status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(known.status).json(ironicErrorBody(known));
  };
}
