import type { NextFunction, Request, Response } from 'express';
import { errorFromWire, NotFound } from '@galvanic/errors';

/** Ironic's 405 with its own message, for a write the negotiated microversion does not allow. */
export function methodNotAllowedError(message: string): Error {
  return errorFromWire({ kind: 'MethodNotAllowed', status: 405, message });
}

/**
 * Ironic's refusal of a whole resource below the microversion that introduced it: a 404 for
 * reads and a 405 for writes, both with `message`.
 */
export function requireMicroversion(since: number, message: string) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (req.apiVersion.minor >= since) return next();
    const read = req.method === 'GET' || req.method === 'HEAD';
    next(read ? new NotFound(message) : methodNotAllowedError(message));
  };
}
