import type { Request, Response } from 'express';
import type { PassthruOutcome } from '@galvanic/conductor-api';
import { BadRequest } from '@galvanic/errors';
import { singleQueryParam } from '../http/collection';

/**
 * The `method` of a passthru request, required as in Ironic: `?method=M`, or the path form
 * `vendor_passthru/M` that python-ironicclient uses.
 */
export function passthruMethodName(req: Request): string {
  const method =
    (req.params as Record<string, string | undefined>).method ?? singleQueryParam(req, 'method');
  if (!method) throw new BadRequest('Missing mandatory parameter: method');
  return method;
}

/**
 * Answers a passthru call as Ironic does: 202 and no body for async methods; 200 and the
 * method's return value for sync ones (a bare `true` included); the raw value for `attach`.
 */
export function sendPassthruOutcome(res: Response, outcome: PassthruOutcome): void {
  if (outcome.async) {
    res.status(202).end();
  } else if (outcome.attach && typeof outcome.result === 'string') {
    res.status(200).type('application/octet-stream').send(outcome.result);
  } else {
    res.status(200).json(outcome.result ?? null);
  }
}
