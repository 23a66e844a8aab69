import type { Request, Response } from 'express';
import { PASSTHRU_HTTP_METHODS, type PassthruOutcome } from '@galvanic/conductor-api';
import { BadRequest, InvalidParameterValue } from '@galvanic/errors';
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

type PassthruHttpMethod = (typeof PASSTHRU_HTTP_METHODS)[number];

/** The request's HTTP method, refused in Ironic's words when no passthru method can take it. */
export function passthruHttpMethod(req: Request, method: string): PassthruHttpMethod {
  const taken = PASSTHRU_HTTP_METHODS.find((known) => known === req.method);
  if (!taken) {
    throw new InvalidParameterValue(`The method ${method} does not support HTTP ${req.method}`);
  }
  return taken;
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
