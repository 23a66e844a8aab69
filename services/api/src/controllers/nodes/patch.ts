import type { NodeRow } from '@galvanic/db';
import { BadRequest, InvalidParameterValue } from '@galvanic/errors';
import { MASK } from '@galvanic/logging';
import { echoable } from '../../http/echo';
import { applyJsonPatch, type PatchOperation } from '../../http/json-patch';
import { checkOperationHasValue, checkPatchDocument } from '../../http/patch-schema';
import { creatableFieldType, normalizeNodeValues, SECRET_BEARING } from './schema';
import { isValidNodeName } from './identity';
import { fieldSince } from '../../resources/declaration';
import { NODE_RESOURCE } from './resource';
import { MINOR_98_SUPPORT_SPECIAL_CHAR_IN_ATTRIBUTES } from '../../resources/versions';

/** Fields `PATCH /v1/nodes/{node}` may change, as Ironic allows. */
export const PATCHABLE_FIELDS = NODE_RESOURCE.patchable;

/** What a field becomes when a patch removes it. */
const REMOVED_VALUE: Readonly<Record<string, unknown>> = {
  driver_info: {},
  extra: {},
  properties: {},
  instance_info: {},
  network_data: {},
  maintenance: false,
  protected: false,
  retired: false,
  disable_power_off: false,
  conductor_group: '',
};

/**
 * The node field a patch path changes. From 1.98 paths may hold JSON pointer escapes (`~1` is
 * `/`, `~0` is `~`), and the field's token is read decoded, as Ironic's allowed-fields check does.
 */
function fieldOf(path: string, minor: number): string {
  const token = path.split('/')[1] ?? '';
  return minor >= MINOR_98_SUPPORT_SPECIAL_CHAR_IN_ATTRIBUTES
    ? token.replace(/~1/g, '/').replace(/~0/g, '~')
    : token;
}

function checkOperations(patch: unknown, minor: number): PatchOperation[] {
  const operations = checkPatchDocument(
    patch,
    minor >= MINOR_98_SUPPORT_SPECIAL_CHAR_IN_ATTRIBUTES,
  );
  for (const operation of operations) {
    checkOperationHasValue(operation);
    const field = fieldOf(operation.path, minor);
    // A field newer than the request's microversion cannot be patched, nor is it listed.
    const patchable = PATCHABLE_FIELDS.filter((name) => fieldSince(NODE_RESOURCE, name) <= minor);
    if (!patchable.includes(field)) {
      throw new BadRequest(
        `Cannot patch ${operation.path}. Only the following can be updated: ${patchable.join(', ')}`,
      );
    }
  }
  return operations;
}

/**
 * Applies a JSON Patch to the node's patchable fields (its chassis shown by `chassisUuid`) and
 * returns the fields that changed.
 * Removing a whole field resets it, as Ironic does; read-only fields are refused with Ironic's
 * wording.
 */
export function patchNode(
  node: NodeRow,
  chassisUuid: string | null,
  patch: unknown,
  minor: number,
): Record<string, unknown> {
  const operations = checkOperations(patch, minor).map((operation) => {
    const field = operation.path.split('/')[1]!;
    const isRoot = operation.path === `/${field}`;
    if (isRoot && operation.op === 'remove') {
      return { op: 'replace' as const, path: operation.path, value: REMOVED_VALUE[field] ?? null };
    }
    // On a root field, add means set (Ironic's fields always exist).
    if (isRoot && operation.op === 'add') return { ...operation, op: 'replace' as const };
    return operation;
  });
  const document: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const field of PATCHABLE_FIELDS)
    document[field] = (node as unknown as Record<string, unknown>)[field] ?? null;
  document.chassis_uuid = chassisUuid;
  const patched = applyJsonPatch(document, operations);
  const changes: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const field of PATCHABLE_FIELDS) {
    if (JSON.stringify(patched[field]) !== JSON.stringify(document[field]))
      changes[field] = patched[field];
  }
  checkPatchedValues(changes);
  return normalizeNodeValues('patch', changes);
}

function checkPatchedValues(changes: Record<string, unknown>): void {
  for (const [field, value] of Object.entries(changes)) {
    const type = creatableFieldType(field);
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    const isBooleanOrWord = typeof value === 'boolean' || typeof value === 'string';
    const wrong =
      (type === 'object' && !isObject) ||
      (['maintenance', 'protected', 'retired', 'disable_power_off'].includes(field) &&
        !isBooleanOrWord) ||
      (type === 'string' && typeof value !== 'string') ||
      (type === 'nullable-boolean' && value !== null && !isBooleanOrWord) ||
      (type?.startsWith('nullable-') &&
        value !== null &&
        type !== 'nullable-boolean' &&
        typeof value !== 'string');
    if (wrong)
      throw new InvalidParameterValue(
        `Invalid value for ${field}: ${JSON.stringify(SECRET_BEARING.has(field) ? MASK : echoable(value))}`,
      );
  }
  if (typeof changes.name === 'string' && !isValidNodeName(changes.name)) {
    throw new InvalidParameterValue(`Cannot update node with invalid name '${changes.name}'`);
  }
}
