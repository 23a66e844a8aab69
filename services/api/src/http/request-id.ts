import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { runWithLogContext } from '@galvanic/logging';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      requestId: string;
    }
  }
}

/**
 * Gives every request Ironic's `req-<uuid>` id, answers it in `Openstack-Request-Id` and, as
 * Ironic's request-id middleware does at every version (1.107 documents it), the same value in
 * `X-OpenStack-Request-Id`; the rest of the request runs in a log context carrying it, so every
 * line it causes names it.
 */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  req.requestId = `req-${randomUUID()}`;
  res.setHeader('Openstack-Request-Id', req.requestId);
  res.setHeader('X-OpenStack-Request-Id', req.requestId);
  runWithLogContext({ requestId: req.requestId }, next);
}
