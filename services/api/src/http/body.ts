import type { NextFunction, Request, Response } from 'express';
import { BadRequest, RequestEntityTooLarge, UnsupportedMediaType } from '@galvanic/errors';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
/** Methods whose body is read only when one is sent (vendor passthru's GET and DELETE methods). */
const METHODS_WITH_OPTIONAL_BODY = new Set(['GET', 'DELETE']);

function carriesBody(req: Request): boolean {
  return Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
}

/**
 * Every POST, PUT and PATCH must say it carries JSON, even with an empty body: a browser sends
 * `text/plain`, form encodings or no type at all cross-site without asking first, so demanding
 * `application/json` keeps another site's page from driving the API through a user's browser.
 * A PUT without a body is the exception (openstacksdk adds a node trait so): a browser never
 * sends a cross-site PUT without a CORS preflight, which Galvanic does not grant.
 */
function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}

/**
 * Names where the JSON broke without quoting the body: V8's message quotes the text around the
 * fault, which can be a password the client is sending.
 */
function malformed(error: Error): BadRequest {
  const position = /position (\d+)/.exec(error.message)?.[1];
  const where =
    position === undefined ? 'it ends early or is not JSON' : `at character ${position}`;
  return new BadRequest(`Malformed JSON body: ${where}.`);
}

/**
 * Reads and parses a JSON body: always for POST, PUT and PATCH; for GET and DELETE when one is
 * sent, as Ironic reads vendor passthru arguments from them. Unlike Ironic, malformed JSON is the client's fault (400), not a
 * 500; a body over the limit is refused with 413 as soon as the limit is crossed.
 */
export function jsonBody(limit: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const optional = METHODS_WITH_OPTIONAL_BODY.has(req.method);
    if (!METHODS_WITH_BODY.has(req.method) && !(optional && carriesBody(req))) return next();
    if (req.method === 'PUT' && !carriesBody(req) && req.get('content-type') === undefined) {
      req.body = undefined;
      return next();
    }
    const contentType = req.get('content-type');
    if (!isJsonContentType(contentType)) {
      req.resume();
      return next(new UnsupportedMediaType(contentType ?? ''));
    }
    const declared = Number(req.get('content-length') ?? 0);
    if (declared > limit) return next(new RequestEntityTooLarge(limit));
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        req.resume();
        next(new RequestEntityTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (error) => {
      if (!failed) {
        failed = true;
        next(new BadRequest(`Could not read the request body: ${error.message}`));
      }
    });
    req.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') {
        req.body = undefined;
        return next();
      }
      try {
        req.body = JSON.parse(text) as unknown;
      } catch (error) {
        return next(malformed(error as Error));
      }
      next();
    });
  };
}
