import type { NextFunction, Request, Response } from 'express';
import { BadRequest } from '@galvanic/errors';

/**
 * Deepest nesting a request body may have. Far beyond any node or port document, and far below
 * what recursive code (validation, cloning, serialisation, PostgreSQL's jsonb) can take before
 * its stack runs out.
 */
export const MAX_JSON_DEPTH = 100;

/** A key JSON.parse keeps as data, but that plain assignment would turn into a prototype change. */
const PROTOTYPE_KEY = '__proto__';

/**
 * Refuses a parsed JSON value that the rest of the API cannot handle safely: nested deeper than
 * MAX_JSON_DEPTH, holding a NUL character (PostgreSQL's text and jsonb cannot store one) in a key
 * or a string, or using `__proto__` as a key inside it. Top-level keys are left to the resource's
 * schema, which refuses unknown ones in Ironic's words. Walks with its own stack, so no depth
 * overflows it.
 */
export function checkJsonShape(value: unknown): void {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) throw nulCharacter();
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      throw new BadRequest(`The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`);
    }
    if (Array.isArray(current)) {
      for (const item of current as unknown[]) pending.push({ value: item, depth: depth + 1 });
      continue;
    }
    for (const key of Object.keys(current)) {
      if (key === PROTOTYPE_KEY && depth > 0)
        throw new BadRequest(`The request body uses the reserved key '${PROTOTYPE_KEY}'.`);
      if (key.includes('\u0000')) throw nulCharacter();
      pending.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
}

function nulCharacter(): BadRequest {
  return new BadRequest('The request contains a NUL character (\\u0000), which cannot be stored.');
}

/**
 * Middleware: checks the parsed body (see checkJsonShape) and refuses query parameters holding a
 * NUL character, before any handler reads them.
 */
export function rejectUnsafeInput(req: Request, _res: Response, next: NextFunction): void {
  try {
    for (const value of Object.values(req.query)) {
      const texts = Array.isArray(value) ? value : [value];
      if (texts.some((text) => typeof text === 'string' && text.includes('\u0000')))
        throw nulCharacter();
    }
    checkJsonShape(req.body);
    next();
  } catch (error) {
    next(error);
  }
}
