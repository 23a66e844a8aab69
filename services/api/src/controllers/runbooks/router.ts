import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type { RunbookRow, RunbookStore } from '@galvanic/db';
import { InvalidParameterValue, RunbookNotFound } from '@galvanic/errors';
import { methodNotAllowed } from '../../http/errors';
import { findByUuidOrName } from '../../resources/identity';
import { checkFieldsAllowed } from '../../resources/query';
import { ResourceHandlers } from '../../resources/router';
import { pythonRepr } from '../../resources/rules';
import { checkSchema } from '../../resources/schema';
import {
  checkRunbookSteps,
  invalidDeployTemplate,
  type RunbookStepDeclaration,
} from '../../resources/steps';
import { isValidTrait } from '../../resources/traits';
import { requireMicroversion } from '../../resources/version-gate';
import { MINOR_112_RUNBOOK_TRAITS, MINOR_92_RUNBOOKS } from '../../resources/versions';
import { RUNBOOK_RESOURCE } from './resource';
import { runbookTraitsRouter } from './traits';

/** The interfaces runbook steps run on (Ironic's CLEANING_INTERFACE_PRIORITY, in its order). */
export const RUNBOOK_STEP_INTERFACES = [
  'vendor',
  'power',
  'management',
  'firmware',
  'deploy',
  'bios',
  'raid',
] as const;

/** From 1.112 a runbook's name is any URL-safe logical name instead of a trait. */
const LOGICAL_NAME = /^[A-Za-z0-9\-._~]{1,255}$/;

interface RunbookValues {
  uuid?: string | null;
  name: string;
  steps: RunbookStepDeclaration[];
  disable_ramdisk?: boolean | null;
  public?: boolean | null;
  owner?: string | null;
  extra?: Record<string, unknown> | null;
  description?: string | null;
}

function checkName(req: Request, name: string, value: string): void {
  if (req.apiVersion.minor >= MINOR_112_RUNBOOK_TRAITS) {
    if (!LOGICAL_NAME.test(value))
      throw new InvalidParameterValue(
        `Schema error for ${name}: ${pythonRepr(value)} does not match '^[A-Za-z0-9\\\\-._~]+$'`,
      );
  } else if (!isValidTrait(value)) {
    throw new InvalidParameterValue(
      `Schema error for ${name}: ${pythonRepr(value)} is not valid under any of the given schemas`,
    );
  }
}

/** Checks a runbook document (a create body, or a runbook after a patch). */
function checkRunbook(
  req: Request,
  name: string,
  body: unknown,
  allowed: readonly string[],
): RunbookValues {
  const values = checkSchema(RUNBOOK_RESOURCE, name, body, allowed);
  checkName(req, name, values.name as string);
  const given = Object.keys(values).filter(
    (field) => field !== 'description' || values.description !== null,
  );
  checkFieldsAllowed(RUNBOOK_RESOURCE, given, req.apiVersion.minor);
  return {
    ...values,
    steps: checkRunbookSteps(name, values.steps, RUNBOOK_STEP_INTERFACES, invalidDeployTemplate),
  } as RunbookValues;
}

/** What a create or patch stores: null flags fall back to Ironic's defaults. */
function stored(values: RunbookValues) {
  return {
    name: values.name,
    steps: values.steps,
    disable_ramdisk: values.disable_ramdisk ?? false,
    public: values.public ?? false,
    owner: values.owner ?? null,
    extra: values.extra ?? {},
    ...(values.description !== undefined ? { description: values.description } : {}),
  };
}

/** The runbook a path or a provisioning request names, by UUID or name. */
export function findRunbook(runbooks: RunbookStore, ident: string): Promise<RunbookRow> {
  return findByUuidOrName(runbooks, ident, (missing) => new RunbookNotFound(missing));
}

/** Ironic's `/v1/runbooks` (1.92), by UUID or name, with `/traits` from 1.112. */
export function runbooksRouter(runbooks: RunbookStore, publicEndpoint: string | undefined): Router {
  const find = (ident: string) => findRunbook(runbooks, ident);
  const handlers = new ResourceHandlers<
    RunbookRow,
    undefined,
    undefined,
    RunbookValues,
    RunbookValues
  >(
    RUNBOOK_RESOURCE,
    {
      store: {
        getByUuid: (uuid) => runbooks.getByUuid(uuid),
        list: (query) => runbooks.list(query),
      },
      find: (_req, ident) => find(ident),
      filters: () => Promise.resolve(undefined),
      create: {
        check: (req, body) => checkRunbook(req, 'runbook', body, RUNBOOK_RESOURCE.creatable),
        save: (_req, values) =>
          runbooks.create({ uuid: values.uuid?.toLowerCase() ?? randomUUID(), ...stored(values) }),
      },
      patch: {
        check: (req, patched) => checkRunbook(req, 'patch', patched, Object.keys(patched)),
        save: async (_req, row, values) => {
          const updated = await runbooks.update(row.id, stored(values));
          if (!updated) throw new RunbookNotFound(row.uuid);
          return updated;
        },
      },
    },
    { publicEndpoint },
  );

  const router = Router();
  router.use(requireMicroversion(MINOR_92_RUNBOOKS, 'The API version does not allow runbooks'));
  router
    .route('/')
    .get(handlers.list(false, () => 'runbooks'))
    .post(handlers.create())
    .all(methodNotAllowed(['GET', 'POST']));
  router.use('/:ident/traits', runbookTraitsRouter(runbooks, find));
  router
    .route('/:ident')
    .get(handlers.show())
    .patch(handlers.patch())
    .delete(async (req, res) => {
      const row = await find(String(req.params.ident));
      if (!(await runbooks.delete(row.id))) throw new RunbookNotFound(row.uuid);
      res.status(204).end();
    })
    .all(methodNotAllowed(['DELETE', 'GET', 'PATCH']));
  return router;
}
