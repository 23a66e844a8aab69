import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type { PortRow } from '@galvanic/db';
import { InvalidParameterValue, NotAcceptable, PortNotFound } from '@galvanic/errors';
import { singleQueryParam } from '../../http/collection';
import { methodNotAllowed } from '../../http/errors';
import { baseUrl } from '../../http/links';
import { atLeast } from '../../http/microversion';
import {
  ALL_PORT_FIELDS,
  NETWORK_TYPE_VERSION,
  checkFieldsAllowed,
  fieldsAt,
  portToApi,
} from './fields';
import { listPorts, type PortListDependencies } from './list';
import { checkPatch, patchPort } from './patch';
import { checkPort, checkPortRules, uuidArgument } from './schema';

export type PortsDependencies = PortListDependencies;

/** `?fields=` of a single port, checked in Ironic's order: microversion first, then names. */
function showFields(req: Request): string[] {
  const minor = req.apiVersion.minor;
  const text = singleQueryParam(req, 'fields');
  if (text === undefined) return fieldsAt(minor);
  if (!atLeast(req, 8)) throw new NotAcceptable();
  const fields = [
    ...new Set(
      text
        .split(',')
        .map((f) => f.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  checkFieldsAllowed(fields, minor);
  const bad = fields.filter((f) => !ALL_PORT_FIELDS.includes(f));
  if (bad.length) throw new InvalidParameterValue(`Field(s) "${bad.join(', ')}" are not valid`);
  return [...new Set([...fields, 'links'])];
}

/**
 * Ironic's `/v1/ports`. Ironic sends writes through the node's conductor; here the conductor
 * keeps no port state, so each write is one statement on the database.
 */
export function portsRouter(deps: PortsDependencies): Router {
  const { ports } = deps;
  const router = Router();

  const findPort = async (ident: string): Promise<PortRow> => {
    const port = await ports.getByUuid(uuidArgument('port_uuid', ident).toLowerCase());
    if (!port) throw new PortNotFound(ident);
    return port;
  };

  router
    .route('/')
    .get(listPorts(deps, false))
    .post(async (req, res) => {
      const minor = req.apiVersion.minor;
      const values = checkPort('port', req.body);
      checkFieldsAllowed(Object.keys(values), minor);
      if (minor < NETWORK_TYPE_VERSION && values.local_link_connection?.network_type !== undefined)
        throw new NotAcceptable();
      checkPortRules(values);
      const nodeUuid = values.node_uuid!;
      const row = await ports.create(nodeUuid, {
        uuid: values.uuid?.toLowerCase() ?? randomUUID(),
        address: values.address!,
        extra: values.extra ?? undefined,
        local_link_connection: values.local_link_connection ?? undefined,
        pxe_enabled: values.pxe_enabled ?? undefined,
        physical_network: values.physical_network,
        is_smartnic: values.is_smartnic ?? undefined,
      });
      // Ironic answers an unknown node with NodeNotFound's text but 400: the port is the resource.
      if (!row) throw new InvalidParameterValue(`Node ${nodeUuid} could not be found.`);
      const base = baseUrl(req, deps.publicEndpoint);
      res.status(201).setHeader('Location', `${base}/v1/ports/${row.uuid}`);
      res.json(portToApi(row, fieldsAt(minor), base));
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/detail')
    .get(listPorts(deps, true))
    .all(methodNotAllowed(['GET']));

  router
    .route('/:uuid')
    .get(async (req, res) => {
      const port = await findPort(req.params.uuid!);
      res.json(portToApi(port, showFields(req), baseUrl(req, deps.publicEndpoint)));
    })
    .patch(async (req, res) => {
      uuidArgument('port_uuid', req.params.uuid!);
      const operations = checkPatch(req.body, req.apiVersion.minor);
      const port = await findPort(req.params.uuid!);
      const { changes, nodeUuid } = patchPort(port, operations);
      let updated = port;
      if (Object.keys(changes).length > 0 || nodeUuid !== undefined) {
        const row = await ports.update(port.id, changes, nodeUuid);
        if (!row) {
          if (nodeUuid !== undefined && (await ports.getByUuid(port.uuid)))
            throw new InvalidParameterValue(`Node ${nodeUuid} could not be found.`);
          throw new PortNotFound(req.params.uuid!);
        }
        updated = row;
      }
      const base = baseUrl(req, deps.publicEndpoint);
      res.json(portToApi(updated, fieldsAt(req.apiVersion.minor), base));
    })
    .delete(async (req, res) => {
      const uuid = uuidArgument('port_uuid', req.params.uuid!);
      if (!(await ports.delete(uuid.toLowerCase()))) throw new PortNotFound(uuid);
      res.status(204).end();
    })
    .all(methodNotAllowed(['DELETE', 'GET', 'PATCH']));

  return router;
}

/** Ironic's `/v1/nodes/{node}/ports`: the node's ports, read-only; mounted with `:ident`. */
export function nodePortsRouter(deps: PortsDependencies): Router {
  const router = Router({ mergeParams: true });
  router
    .route('/')
    .get(listPorts(deps, false))
    .all(methodNotAllowed(['GET']));
  router
    .route('/detail')
    .get(listPorts(deps, true))
    .all(methodNotAllowed(['GET']));
  return router;
}
