import { Router, type Request } from 'express';
import type { RunbookRow, RunbookStore } from '@galvanic/db';
import { Invalid, InvalidParameterValue, NotFound } from '@galvanic/errors';
import { methodNotAllowed } from '../../http/errors';
import { pythonRepr } from '../../resources/rules';
import { isValidTrait } from '../../resources/traits';
import { MINOR_112_RUNBOOK_TRAITS } from '../../resources/versions';

const ONE_OR_ALL =
  'A single runbook trait may be added via PUT /v1/runbooks/<runbook identifier>/traits/<trait> ' +
  'with no body, or all runbook traits may be replaced via PUT /v1/runbooks/<runbook ' +
  'identifier>/traits with the list of traits specified in the request body.';

function checkTrait(value: unknown): string {
  if (!isValidTrait(value))
    throw new InvalidParameterValue(
      `Schema error for trait: ${pythonRepr(value)} is not valid under any of the given schemas`,
    );
  return value;
}

function hasBody(req: Request): boolean {
  const body: unknown = req.body;
  return typeof body === 'object' && body !== null && Object.keys(body).length > 0;
}

/** The `traits` list of a `PUT .../traits` body, as Ironic's schema checks it. */
function traitsOfBody(req: Request): string[] {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new Invalid(ONE_OR_ALL);
  const extra = Object.keys(body).filter((key) => key !== 'traits');
  if (extra.length > 0)
    throw new InvalidParameterValue(
      `Schema error for body: Additional properties are not allowed (${extra.map((k) => pythonRepr(k)).join(', ')} ${extra.length === 1 ? 'was' : 'were'} unexpected)`,
    );
  const traits = (body as { traits?: unknown }).traits;
  if (traits === undefined) throw new Invalid(ONE_OR_ALL);
  if (!Array.isArray(traits))
    throw new InvalidParameterValue(
      `Schema error for body: ${pythonRepr(traits)} is not of type 'array'`,
    );
  return [...new Set(traits.map(checkTrait))];
}

/** `/v1/runbooks/{runbook}/traits` (1.112): the traits that let a node run the runbook. */
export function runbookTraitsRouter(
  runbooks: RunbookStore,
  find: (ident: string) => Promise<RunbookRow>,
): Router {
  const router = Router({ mergeParams: true });
  const runbook = (req: Request) => find(String(req.params.ident));
  const save = async (row: RunbookRow, traits: string[]) => {
    await runbooks.update(row.id, { traits });
  };
  router.use((req, _res, next) => {
    if (req.apiVersion.minor < MINOR_112_RUNBOOK_TRAITS)
      return next(new NotFound('The API version does not allow runbook traits'));
    next();
  });
  router
    .route('/')
    .get(async (req, res) => {
      res.json({ traits: (await runbook(req)).traits });
    })
    .put(async (req, res) => {
      const row = await runbook(req);
      await save(row, traitsOfBody(req));
      res.status(204).end();
    })
    .delete(async (req, res) => {
      await save(await runbook(req), []);
      res.status(204).end();
    })
    .all(methodNotAllowed(['DELETE', 'GET', 'PUT']));
  router
    .route('/:trait')
    .put(async (req, res) => {
      const trait = checkTrait(String(req.params.trait));
      if (hasBody(req)) throw new Invalid('No body should be provided when adding a trait');
      const row = await runbook(req);
      if (!row.traits.includes(trait)) await save(row, [...row.traits, trait]);
      res.status(204).setHeader('Location', req.originalUrl).end();
    })
    .delete(async (req, res) => {
      const row = await runbook(req);
      const trait = String(req.params.trait);
      if (row.traits.includes(trait))
        await save(
          row,
          row.traits.filter((t) => t !== trait),
        );
      res.status(204).end();
    })
    .all(methodNotAllowed(['DELETE', 'PUT']));
  return router;
}
