import type { PortFields, PortRow } from '@galvanic/db';
import { Invalid, NotAcceptable } from '@galvanic/errors';
import { applyJsonPatch, type PatchOperation } from '../../http/json-patch';
import { checkOperationHasValue, checkPatchDocument } from '../../http/patch-schema';
import { checkFieldsAllowed, NETWORK_TYPE_VERSION } from './fields';
import { checkPort, checkPortRules } from './schema';

/** Fields `PATCH /v1/ports/{port}` may change, as Ironic (up to 1.82) allows. */
export const PATCHABLE_FIELDS = [
  'address',
  'extra',
  'is_smartnic',
  'local_link_connection',
  'node_uuid',
  'physical_network',
  'portgroup_uuid',
  'pxe_enabled',
];

function checkPatchable(operations: readonly PatchOperation[]): void {
  for (const op of operations) {
    if (!PATCHABLE_FIELDS.includes(op.path.split('/')[1]!)) {
      throw new Invalid(
        `Cannot patch ${op.path}. Only the following can be updated: ${PATCHABLE_FIELDS.join(', ')}`,
      );
    }
  }
}

/** Ironic's 406 for a patch touching a field newer than the negotiated microversion. */
function checkVersions(operations: readonly PatchOperation[], minor: number): void {
  const touches = (path: string) =>
    operations.some((op) =>
      op.op === 'remove' ? op.path === path || op.path.startsWith(`${path}/`) : op.path === path,
    );
  checkFieldsAllowed(
    PATCHABLE_FIELDS.filter((field) => touches(`/${field}`)),
    minor,
  );
  if (minor < NETWORK_TYPE_VERSION && touches('/local_link_connection/network_type'))
    throw new NotAcceptable();
}

/** Checks a patch document before the port is read: its shape, its paths, its microversion. */
export function checkPatch(patch: unknown, minor: number): PatchOperation[] {
  const operations = checkPatchDocument(patch);
  checkPatchable(operations);
  checkVersions(operations, minor);
  return operations;
}

export interface PortUpdate {
  changes: PortFields;
  /** The node the port moves to, when the patch changes `node_uuid`. */
  nodeUuid?: string;
}

/**
 * Applies checked operations to the port's patchable fields, one at a time as Ironic does so a
 * failure names its operation, then checks the result against the port schema.
 */
export function patchPort(port: PortRow, operations: readonly PatchOperation[]): PortUpdate {
  let document: Record<string, unknown> = {
    address: port.address,
    extra: port.extra,
    is_smartnic: port.is_smartnic,
    local_link_connection: port.local_link_connection,
    node_uuid: port.node_uuid,
    physical_network: port.physical_network,
    portgroup_uuid: null,
    pxe_enabled: port.pxe_enabled,
  };
  for (const operation of operations) {
    checkOperationHasValue(operation);
    document = applyJsonPatch(document, [operation]);
  }
  const values = checkPort('patch', document);
  checkPortRules(values);

  const changes: PortFields = {};
  const wanted: Required<PortFields> = {
    address: values.address!,
    extra: values.extra ?? {},
    local_link_connection: values.local_link_connection ?? {},
    pxe_enabled: values.pxe_enabled ?? true,
    physical_network: values.physical_network ?? null,
    is_smartnic: values.is_smartnic ?? false,
  };
  for (const field of Object.keys(wanted) as (keyof PortFields)[]) {
    if (JSON.stringify(wanted[field]) !== JSON.stringify(port[field]))
      (changes as Record<string, unknown>)[field] = wanted[field];
  }
  const update: PortUpdate = { changes };
  const nodeUuid = values.node_uuid!.toLowerCase();
  if (nodeUuid !== port.node_uuid) update.nodeUuid = nodeUuid;
  return update;
}
