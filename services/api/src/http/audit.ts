import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '@galvanic/logging';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The node a path acts on, e.g. `n1` in `/v1/nodes/n1/states/power`. */
function nodeOf(path: string): string | undefined {
  const match = /^\/v1\/nodes\/([^/]+)/.exec(path);
  return match && match[1] !== 'detail' ? decodeURIComponent(match[1]!) : undefined;
}

/**
 * The audit trail: one line per state-changing request, when it is answered, with who made it
 * (user and project), what it was (method, path without its query, node) and the outcome.
 * Bodies and query strings, where secrets travel, are never logged.
 */
export function auditTrail(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (READ_METHODS.has(req.method)) return next();
    const path = req.originalUrl.split('?')[0] ?? '';
    res.once('finish', () => {
      const credentials = req.credentials;
      logger.info('audit', {
        requestId: req.requestId,
        user: credentials?.userName ?? credentials?.userId ?? null,
        project: credentials?.projectId ?? null,
        strategy: credentials?.strategy ?? 'unauthenticated',
        method: req.method,
        path,
        node: nodeOf(path) ?? null,
        status: res.statusCode,
        outcome: res.statusCode < 400 ? 'success' : 'failure',
      });
    });
    next();
  };
}
