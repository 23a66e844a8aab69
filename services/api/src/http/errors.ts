import type { NextFunction, Request, Response } from 'express';
import { GalvanicError, InternalError, httpErrorBody, ironicErrorBody } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';

/** Routing errors in the shape Ironic's web framework writes them. */
export function notFound(_req: Request, res: Response): void {
  res.status(404).json(httpErrorBody(404, 'Not Found', 'The resource could not be found.'));
}

export function methodNotAllowed(allowed: readonly string[]) {
  const allow = [...allowed].sort().join(', ');
  return (_req: Request, res: Response): void => {
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
        error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : error,
      });
    }
    if (res.headersSent) return;
    res.status(known.status).json(ironicErrorBody(known));
  };
}
