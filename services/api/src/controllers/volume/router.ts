import { randomUUID } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type {
  NodeStore,
  VolumeConnectorFields,
  VolumeConnectorRow,
  VolumeConnectorStore,
  VolumeListQuery,
  VolumeTargetFields,
  VolumeTargetRow,
  VolumeTargetStore,
  VolumeWriteOutcome,
} from '@galvanic/db';
import { InvalidParameterValue, InvalidStateRequested } from '@galvanic/errors';
import { singleQueryParam } from '../../http/collection';
import { methodNotAllowed, notFoundBefore } from '../../http/errors';
import { baseUrl, resourceLinks } from '../../http/links';
import type { CompiledResource } from '../../resources/declaration';
import { ResourceHandlers } from '../../resources/router';
import { isUuid, shownValue } from '../../resources/rules';
import { MINOR_32_VOLUME } from '../../resources/versions';
import { findNode } from '../nodes/identity';
import { VOLUME_CONNECTOR_RESOURCE, VOLUME_TARGET_RESOURCE } from './resource';

export interface VolumeDependencies {
  connectors: VolumeConnectorStore;
  targets: VolumeTargetStore;
  nodes: NodeStore;
  publicEndpoint: string | undefined;
}

/** What the handlers need of a volume table's store. */
interface VolumeStoreOf<Row, Fields> {
  create(nodeId: number, fields: Fields & { uuid: string }): Promise<Row | undefined>;
  getByUuid(uuid: string): Promise<Row | undefined>;
  list(query: VolumeListQuery<Row>): Promise<Row[]>;
  update(id: number, changes: Fields, nodeId?: number): Promise<VolumeWriteOutcome<Row>>;
  delete(id: number): Promise<VolumeWriteOutcome<Row>>;
}

/** One kind of volume resource: its declaration, storage and what Ironic's messages call it. */
interface VolumeKind<Row, Fields> {
  resource: CompiledResource;
  store: VolumeStoreOf<Row, Fields>;
  /** E.g. `volume connector`, as in "volume connector update". */
  noun: string;
  /** The settable columns of a checked document (all of them, defaults filled in). */
  stored(values: Record<string, unknown>): Required<Fields>;
}

type VolumeRow = { id: number; uuid: string; node_uuid: string };

/** A volume list's filters: its node, and the project whose nodes' resources it is limited to. */
type VolumeFilters = { nodeId?: number; project?: string };

/** A write refused because of the node's state, in Ironic's words; the row when it was done. */
function outcomeOf<Row>(
  outcome: VolumeWriteOutcome<Row>,
  action: string,
  notFoundError: () => Error,
): Row | undefined {
  if (outcome.done) return outcome.row;
  if (outcome.reason === 'not-found') throw notFoundError();
  throw new InvalidStateRequested(action, outcome.nodeUuid, outcome.powerState ?? 'None');
}

function volumeHandlers<Row extends VolumeRow, Fields extends object>(
  kind: VolumeKind<Row, Fields>,
  deps: VolumeDependencies,
): ResourceHandlers<Row, VolumeFilters, undefined> {
  const { resource, store } = kind;
  return new ResourceHandlers<Row, VolumeFilters, undefined>(
    resource,
    {
      store: {
        getByUuid: (uuid) => store.getByUuid(uuid),
        list: (query) => store.list({ ...query, ...query.filters }),
      },
      filters: async (req, _declared, parent) => {
        const filters: VolumeFilters = {};
        // Policy let a project list only the volume resources of its nodes.
        if (req.listProject !== undefined) filters.project = req.listProject;
        const ident = parent ?? singleQueryParam(req, 'node');
        if (ident !== undefined) filters.nodeId = (await findNode(req, deps.nodes, ident)).id;
        return filters;
      },
      create: {
        save: async (_req, values) => {
          const nodeUuid = String(values.node_uuid);
          const node = await deps.nodes.getByUuid(nodeUuid.toLowerCase());
          const created = node
            ? await store.create(node.id, {
                ...kind.stored(values),
                uuid: typeof values.uuid === 'string' ? values.uuid.toLowerCase() : randomUUID(),
              })
            : undefined;
          if (!created) {
            throw new InvalidParameterValue(
              `Invalid input for field/attribute node_uuid. Value: '${nodeUuid}'. `,
            );
          }
          return created;
        },
      },
      patch: {
        checkOperations: (_req, operations) => {
          for (const op of operations) {
            if (op.path !== '/node_uuid' || op.op === 'remove') continue;
            if (typeof op.value !== 'string' || !isUuid(op.value)) {
              throw new InvalidParameterValue(
                `Expected a UUID for node_uuid, but received ${shownValue(op.value)}.`,
              );
            }
          }
        },
        save: async (_req, row, values) => {
          const wanted = kind.stored(values) as Record<string, unknown>;
          const changes: Record<string, unknown> = {};
          for (const [field, value] of Object.entries(wanted)) {
            const stored = (row as unknown as Record<string, unknown>)[field];
            if (JSON.stringify(value) !== JSON.stringify(stored)) changes[field] = value;
          }
          let nodeId: number | undefined;
          const nodeUuid = String(values.node_uuid).toLowerCase();
          if (nodeUuid !== row.node_uuid) {
            const node = await deps.nodes.getByUuid(nodeUuid);
            if (!node) throw new InvalidParameterValue(`Node ${nodeUuid} could not be found.`);
            nodeId = node.id;
          }
          if (Object.keys(changes).length === 0 && nodeId === undefined) return row;
          const outcome = await store.update(row.id, changes as Fields, nodeId);
          return outcomeOf(outcome, `${kind.noun} update`, () => resource.notFound(row.uuid))!;
        },
      },
      remove: async (_req, uuid, ident) => {
        const row = await store.getByUuid(uuid);
        if (!row) throw resource.notFound(ident);
        outcomeOf(await store.delete(row.id), `${kind.noun} deletion`, () =>
          resource.notFound(ident),
        );
      },
    },
    { publicEndpoint: deps.publicEndpoint },
  );
}

const connectorKind = (
  store: VolumeConnectorStore,
): VolumeKind<VolumeConnectorRow, VolumeConnectorFields> => ({
  resource: VOLUME_CONNECTOR_RESOURCE,
  store,
  noun: 'volume connector',
  stored: (values) => ({
    type: values.type as string,
    connector_id: values.connector_id as string,
    extra: (values.extra as Record<string, unknown> | null | undefined) ?? {},
  }),
});

const targetKind = (store: VolumeTargetStore): VolumeKind<VolumeTargetRow, VolumeTargetFields> => ({
  resource: VOLUME_TARGET_RESOURCE,
  store,
  noun: 'volume target',
  stored: (values) => ({
    volume_type: values.volume_type as string,
    properties: (values.properties as Record<string, unknown> | null | undefined) ?? {},
    boot_index: values.boot_index as number,
    volume_id: values.volume_id as string,
    extra: (values.extra as Record<string, unknown> | null | undefined) ?? {},
  }),
});

/** Volume lists refuse `fields` with `detail` in their own words, before anything else. */
function refuseDetailWithFields(req: Request, _res: Response, next: NextFunction): void {
  if (
    singleQueryParam(req, 'fields') !== undefined &&
    singleQueryParam(req, 'detail') !== undefined
  )
    throw new InvalidParameterValue("Can't fetch a subset of fields with 'detail' set");
  next();
}

/** The volume root document: its links and its two collections', under `resource/prefix`. */
function volumeDocument(base: string, resource: string, prefix: string) {
  return {
    links: resourceLinks(base, resource, prefix),
    connectors: resourceLinks(base, resource, `${prefix}connectors`),
    targets: resourceLinks(base, resource, `${prefix}targets`),
  };
}

/** Ironic's `/v1/volume`, `/v1/volume/connectors` and `/v1/volume/targets` (1.32). */
export function volumeRouter(deps: VolumeDependencies): Router {
  const router = Router();
  // Before 1.32 there is no volume API: a plain 404, as Ironic's.
  router.use(notFoundBefore(MINOR_32_VOLUME));
  router
    .route('/')
    .get((req, res) => {
      res.json(volumeDocument(baseUrl(req, deps.publicEndpoint), 'volume', ''));
    })
    .all(methodNotAllowed(['GET']));
  for (const [path, handlers] of [
    ['connectors', volumeHandlers(connectorKind(deps.connectors), deps)],
    ['targets', volumeHandlers(targetKind(deps.targets), deps)],
  ] as const) {
    const collection = () => `volume/${path}`;
    router
      .route(`/${path}`)
      .get(refuseDetailWithFields, handlers.list(false, collection))
      .post(handlers.create())
      .all(methodNotAllowed(['GET', 'POST']));
    router
      .route(`/${path}/:ident`)
      .get(handlers.show())
      .patch(handlers.patch())
      .delete(handlers.remove())
      .all(methodNotAllowed(['DELETE', 'GET', 'PATCH']));
  }
  return router;
}

/** Ironic's `/v1/nodes/{node}/volume` and its read-only collections; mounted with `:ident`. */
export function nodeVolumeRouter(deps: VolumeDependencies): Router {
  const router = Router({ mergeParams: true });
  // Before 1.32 there is no volume API: a plain 404, as Ironic's.
  router.use(notFoundBefore(MINOR_32_VOLUME));
  const node = (req: Request) => String(req.params.ident);
  router
    .route('/')
    .get(async (req, res) => {
      await findNode(req, deps.nodes, node(req));
      res.json(volumeDocument(baseUrl(req, deps.publicEndpoint), 'nodes', `${node(req)}/volume/`));
    })
    .all(methodNotAllowed(['GET']));
  for (const [path, handlers] of [
    ['connectors', volumeHandlers(connectorKind(deps.connectors), deps)],
    ['targets', volumeHandlers(targetKind(deps.targets), deps)],
  ] as const) {
    const collection = (req: Request) => `nodes/${node(req)}/volume/${path}`;
    router
      .route(`/${path}`)
      .get(refuseDetailWithFields, handlers.list(false, collection, node))
      .all(methodNotAllowed(['GET']));
  }
  return router;
}
