import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type { DeployTemplateRow, DeployTemplateStore } from '@galvanic/db';
import { DeployTemplateNotFound, InvalidParameterValue } from '@galvanic/errors';
import { methodNotAllowed } from '../../http/errors';
import { findByUuidOrName } from '../../resources/identity';
import { checkFieldsAllowed } from '../../resources/query';
import { ResourceHandlers } from '../../resources/router';
import { pythonRepr } from '../../resources/rules';
import { checkSchema } from '../../resources/schema';
import { checkSteps, invalidDeployTemplate, type StepDeclaration } from '../../resources/steps';
import { isValidTrait } from '../../resources/traits';
import { requireMicroversion } from '../../resources/version-gate';
import { MINOR_55_DEPLOY_TEMPLATES } from '../../resources/versions';
import { DEPLOY_TEMPLATE_RESOURCE } from './resource';

/** The interfaces deploy steps run on, in Ironic's order (its DEPLOYING_INTERFACE_PRIORITY). */
export const DEPLOY_STEP_INTERFACES = [
  'vendor',
  'power',
  'management',
  'firmware',
  'deploy',
  'bios',
  'raid',
] as const;

interface TemplateValues {
  uuid?: string | null;
  name: string;
  steps: StepDeclaration[];
  extra?: Record<string, unknown> | null;
}

/** Checks a template document (a create body, or a template after a patch). */
function checkTemplate(req: Request, name: string, body: unknown, allowed: readonly string[]) {
  const values = checkSchema(DEPLOY_TEMPLATE_RESOURCE, name, body, allowed);
  if (!isValidTrait(values.name)) {
    throw new InvalidParameterValue(
      `Schema error for ${name}: ${pythonRepr(values.name)} is not valid under any of the given schemas`,
    );
  }
  checkFieldsAllowed(DEPLOY_TEMPLATE_RESOURCE, Object.keys(values), req.apiVersion.minor);
  return {
    ...values,
    steps: checkSteps(name, values.steps, DEPLOY_STEP_INTERFACES, invalidDeployTemplate),
  } as TemplateValues;
}

/** Ironic's `/v1/deploy_templates` (1.55), by UUID or name. */
export function deployTemplatesRouter(
  templates: DeployTemplateStore,
  publicEndpoint: string | undefined,
): Router {
  const find = (ident: string) =>
    findByUuidOrName(templates, ident, (missing) => new DeployTemplateNotFound(missing));
  const handlers = new ResourceHandlers<
    DeployTemplateRow,
    undefined,
    undefined,
    TemplateValues,
    TemplateValues
  >(
    DEPLOY_TEMPLATE_RESOURCE,
    {
      store: {
        getByUuid: (uuid) => templates.getByUuid(uuid),
        list: (query) => templates.list(query),
      },
      find: (_req, ident) => find(ident),
      filters: () => Promise.resolve(undefined),
      create: {
        check: (req, body) =>
          checkTemplate(req, 'deploy_template', body, DEPLOY_TEMPLATE_RESOURCE.creatable),
        save: (_req, values) =>
          templates.create({
            uuid: values.uuid?.toLowerCase() ?? randomUUID(),
            name: values.name,
            steps: values.steps,
            extra: values.extra ?? {},
          }),
      },
      patch: {
        check: (req, patched) => checkTemplate(req, 'patch', patched, Object.keys(patched)),
        save: async (_req, row, values) => {
          const updated = await templates.update(row.id, {
            name: values.name,
            steps: values.steps,
            extra: values.extra ?? {},
          });
          if (!updated) throw new DeployTemplateNotFound(row.uuid);
          return updated;
        },
      },
    },
    { publicEndpoint },
  );

  const router = Router();
  router.use(
    requireMicroversion(
      MINOR_55_DEPLOY_TEMPLATES,
      'The API version does not allow deploy templates',
    ),
  );
  const collection = () => 'deploy_templates';
  router
    .route('/')
    .get(handlers.list(false, collection))
    .post(handlers.create())
    .all(methodNotAllowed(['GET', 'POST']));
  router
    .route('/:ident')
    .get(handlers.show())
    .patch(handlers.patch())
    .delete(async (req, res) => {
      const row = await find(String(req.params.ident));
      if (!(await templates.delete(row.id))) throw new DeployTemplateNotFound(row.uuid);
      res.status(204).end();
    })
    .all(methodNotAllowed(['DELETE', 'GET', 'PATCH']));
  return router;
}
