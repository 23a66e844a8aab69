import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type { InspectionRuleOperation, InspectionRuleRow, InspectionRuleStore } from '@galvanic/db';
import { InspectionRuleNotFound, PatchError } from '@galvanic/errors';
import { echoablePatch } from '../../http/echo';
import type { PatchOperation } from '../../http/json-patch';
import { checkFieldsAllowed } from '../../resources/query';
import { ResourceHandlers } from '../../resources/router';
import { checkSchema } from '../../resources/schema';
import { requireMicroversion } from '../../resources/version-gate';
import { MINOR_96_INSPECTION_RULES } from '../../resources/versions';
import { INSPECTION_RULE_RESOURCE } from './resource';
import { checkRuleDocument, type RuleValues } from './rule-document';

/** Checks a rule document (a create body, or a rule after a patch). */
function checkRule(req: Request, name: string, body: unknown, allowed: readonly string[]) {
  const values = checkSchema(INSPECTION_RULE_RESOURCE, name, body, allowed);
  checkFieldsAllowed(INSPECTION_RULE_RESOURCE, Object.keys(values), req.apiVersion.minor);
  return checkRuleDocument(name, values);
}

/** A condition or action as Ironic shows it: `loop` only when set, `multiple` only with it. */
function shownOperation(operation: InspectionRuleOperation, condition: boolean) {
  const shown: Record<string, unknown> = { op: operation.op, args: operation.args };
  const loop = operation.loop;
  const looping = Array.isArray(loop)
    ? loop.length > 0
    : typeof loop === 'object' && loop !== null && Object.keys(loop).length > 0;
  if (looping) {
    shown.loop = loop;
    if (condition) shown.multiple = operation.multiple ?? 'any';
  }
  return shown;
}

/** Ironic refuses a patch that clears a sensitive rule's `sensitive` flag. */
function refuseUnsettingSensitive(row: InspectionRuleRow, operations: readonly PatchOperation[]) {
  const unsets = operations.some(
    (op) =>
      (op.op === 'add' || op.op === 'replace') &&
      op.path === '/sensitive' &&
      op.value !== null &&
      !op.value,
  );
  if (row.sensitive && unsets) {
    throw new PatchError(
      JSON.stringify(echoablePatch(operations)),
      'Inspection rules cannot have the sensitive flag unset.',
    );
  }
}

/** Ironic's `/v1/inspection_rules` (1.96), by UUID. */
export function inspectionRulesRouter(
  rules: InspectionRuleStore,
  publicEndpoint: string | undefined,
): Router {
  const handlers = new ResourceHandlers<
    InspectionRuleRow,
    { phase?: string },
    undefined,
    RuleValues,
    RuleValues
  >(
    INSPECTION_RULE_RESOURCE,
    {
      store: {
        getByUuid: (uuid) => rules.getByUuid(uuid),
        list: (query) => rules.list(query),
      },
      filters: (_req, declared) =>
        Promise.resolve(typeof declared.phase === 'string' ? { phase: declared.phase } : {}),
      // A sensitive rule's conditions and actions are never shown.
      computed: (row, field) => {
        if (row.sensitive) return null;
        if (field === 'conditions') return row.conditions.map((c) => shownOperation(c, true));
        return row.actions.map((a) => shownOperation(a, false));
      },
      create: {
        check: (req, body) =>
          checkRule(req, 'inspection_rule', body, INSPECTION_RULE_RESOURCE.creatable),
        save: (_req, values) =>
          rules.create({
            uuid: values.uuid?.toLowerCase() ?? randomUUID(),
            description: values.description,
            phase: values.phase,
            priority: values.priority,
            sensitive: values.sensitive,
            conditions: values.conditions,
            actions: values.actions,
          }),
      },
      patch: {
        check: (req, patched) => checkRule(req, 'patch', patched, Object.keys(patched)),
        save: async (req, row, values) => {
          refuseUnsettingSensitive(row, req.body as PatchOperation[]);
          const updated = await rules.update(row.id, {
            description: values.description,
            phase: values.phase,
            priority: values.priority,
            sensitive: row.sensitive || values.sensitive,
            conditions: values.conditions,
            actions: values.actions,
          });
          if (!updated) throw new InspectionRuleNotFound(row.uuid);
          return updated;
        },
      },
      remove: async (_req, uuid, ident) => {
        const row = await rules.getByUuid(uuid);
        if (!row || !(await rules.delete(row.id))) throw new InspectionRuleNotFound(ident);
      },
    },
    { publicEndpoint },
  );

  const router = Router();
  router.use(
    requireMicroversion(
      MINOR_96_INSPECTION_RULES,
      'The API version does not allow inspection rules',
    ),
  );
  router.use(handlers.router({ detailPath: false }));
  return router;
}
