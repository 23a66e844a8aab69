import type { NextFunction, Request, Response } from 'express';
import { GalvanicError, InternalError, httpErrorBody, ironicErrorBody } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';

/** Seconds a client is told to wait before retrying a 503. */
const RETRY_AFTER_SECONDS = 2;

/** Routing errors in the shape Ironic's web framework writes them. */
export function notFound(_req: Request, res: Response): void {
  res.status(404).json(httpErrorBody(404, 'Not Found', 'The resource could not be found.'));
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
 * Turns any error into Ironic's error body. Galvanic errors keep their status and text; anything
 * else is a 500 whose details go to the log, never to the client.
 */
export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const known =
      error instanceof GalvanicError ? error : new InternalError('An unknown exception occurred.');
    if (known.status >= 500) {
      logger.error('request failed', {
        method: req.method,
        path: req.path,
        error:
          error instanceof Error
            ? { name: error.name, message: error.message, stack: error.stack }
            : error,
      });
    }
    if (res.headersSent) return;
    // Every 503 is a passing condition (no broker, no conductor): say when trying again makes sense.
    if (known.status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(known.status).json(ironicErrorBody(known));
  };
}
