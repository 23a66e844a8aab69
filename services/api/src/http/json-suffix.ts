import type { NextFunction, Request, Response } from 'express';
import { MINOR_91_DOT_JSON } from '../resources/versions';

/**
 * Before 1.91 Ironic drops a `.json` suffix from the path (`/v1/nodes/n1.json` is node `n1`);
 * from 1.91 the suffix is part of the name. Runs after the microversion is negotiated.
 */
export function legacyJsonSuffix(req: Request, _res: Response, next: NextFunction): void {
  if (req.apiVersion.minor < MINOR_91_DOT_JSON) {
    const [path = '', query] = req.url.split(/\?(.*)/s, 2);
    const trimmed = path.replace(/\/+$/, '');
    if (trimmed.endsWith('.json')) req.url = trimmed.slice(0, -5) + (query ? `?${query}` : '');
  }
  next();
}
