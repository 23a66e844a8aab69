import { Router, type Request } from 'express';
import {
  continueInspectionMethod,
  getNodeWithTokenMethod,
  heartbeatMethod,
} from '@galvanic/conductor-api';
import type { NodeInventoryStore, NodeRow, NodeStore } from '@galvanic/db';
import {
  BadRequest,
  IncompleteLookup,
  Invalid,
  InvalidParameterValue,
  NotFound,
} from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import { methodNotAllowed } from '../../http/errors';
import { atLeast } from '../../http/microversion';
import { rateLimit, type RateLimitOptions } from '../../http/rate-limit';
import { isUuid, shownValue } from '../../resources/rules';
import {
  MINOR_22_LOOKUP_HEARTBEAT,
  MINOR_62_AGENT_TOKEN,
  MINOR_84_CONTINUE_INSPECTION,
} from '../../resources/versions';
import { findNode } from '../nodes/identity';
import type { NodeOwners } from '../nodes/owner';
import type { NodeViews } from '../nodes/view';
import { checkHeartbeatBody, lookupAddresses, normalizeMac } from './checks';
import { AGENT_ENDPOINTS, LOOKUP_ALLOWED_STATES } from './endpoints';

export interface AgentApiOptions {
  /** `[api] restrict_lookup`. */
  restrictLookup: boolean;
  /** `[api] ramdisk_heartbeat_timeout`, told to agents in the lookup's config. */
  heartbeatTimeout: number;
  /** `[api] agent_rate_limit_per_client`. */
  rateLimit: RateLimitOptions;
}

export interface AgentApiDependencies {
  nodes: NodeStore;
  inventories: NodeInventoryStore;
  owners: NodeOwners;
  views: NodeViews;
  logger: Logger;
  options: AgentApiOptions;
}

/** The node fields a lookup answers (Ironic's `_LOOKUP_RETURN_FIELDS`, with links). */
const LOOKUP_FIELDS = ['uuid', 'properties', 'instance_info', 'driver_internal_info', 'links'];

/**
 * Ironic's ramdisk endpoints: `GET /v1/lookup`, `POST /v1/heartbeat/{node}` and
 * `POST /v1/continue_inspection`. They are for the agent, which has no operator credentials.
 */
export function agentRouter(deps: AgentApiDependencies): Router {
  const { nodes, owners, views, logger, options } = deps;
  const router = Router();
  router.use(Object.values(AGENT_ENDPOINTS), rateLimit(options.rateLimit));

  /** Below 1.22 these endpoints do not exist (404), as in Ironic. */
  const requireRamdiskEndpoints = (req: Request) => {
    if (!atLeast(req, MINOR_22_LOOKUP_HEARTBEAT)) throw new NotFound();
  };

  /** What an agent gets back for its node: the node's lookup fields and its configuration. */
  const lookupAnswer = async (req: Request, node: NodeRow) => {
    let token: string | null = null;
    let shown = node;
    if (atLeast(req, MINOR_62_AGENT_TOKEN)) {
      ({ agent_token: token } = await owners.call(req, node, getNodeWithTokenMethod, {}));
      shown = (await nodes.getById(node.id)) ?? node;
    }
    return {
      node: await views.show(req, shown, LOOKUP_FIELDS),
      config: {
        metrics: { backend: 'noop', prepend_host: false, prepend_uuid: false },
        heartbeat_timeout: options.heartbeatTimeout,
        agent_token: token,
        agent_token_required: true,
        agent_md5_checksum_enable: false,
        disable_deep_image_inspection: false,
        permitted_image_formats: ['raw', 'qcow2'],
      },
    };
  };

  router
    .route(AGENT_ENDPOINTS.lookup)
    .get(async (req, res) => {
      requireRamdiskEndpoints(req);
      const addresses = lookupAddresses(req.query.addresses);
      const nodeUuid = req.query.node_uuid;
      if (nodeUuid !== undefined && (typeof nodeUuid !== 'string' || !isUuid(nodeUuid))) {
        throw new InvalidParameterValue(`Expected a UUID but received ${shownValue(nodeUuid)}.`);
      }
      if (addresses.length === 0 && !nodeUuid) throw new IncompleteLookup();
      const node = nodeUuid
        ? await nodes.getByUuid(nodeUuid.toLowerCase())
        : await nodes.getByPortAddresses(addresses);
      // The same answer for a node that is not there and one in the wrong state, as Ironic.
      if (!node) {
        logger.warn('lookup found no node', { addresses, node_uuid: nodeUuid });
        throw new NotFound();
      }
      if (options.restrictLookup && !LOOKUP_ALLOWED_STATES.has(node.provision_state)) {
        logger.warn('lookup refused: the node does not expect an agent', {
          node: node.uuid,
          provision_state: node.provision_state,
        });
        throw new NotFound();
      }
      res.json(await lookupAnswer(req, node));
    })
    .all(methodNotAllowed(['GET']));

  router
    .route(AGENT_ENDPOINTS.heartbeat)
    .post(async (req, res) => {
      requireRamdiskEndpoints(req);
      const heartbeat = checkHeartbeatBody(req);
      const node = await findNode(req, nodes, String(req.params.node_ident));
      const known = node.driver_internal_info.agent_url;
      if (typeof known === 'string' && known !== heartbeat.callback_url) {
        logger.warn('heartbeat with a changed callback URL refused', { node: node.uuid });
        throw new Invalid('Detected change in ramdisk provided "callback_url"');
      }
      await owners.call(req, node, heartbeatMethod, heartbeat);
      res.status(202).end();
    })
    .all(methodNotAllowed(['POST']));

  router
    .route(AGENT_ENDPOINTS.continueInspection)
    .post(async (req, res) => {
      if (!atLeast(req, MINOR_84_CONTINUE_INSPECTION)) {
        throw new NotFound(`API version 1.${MINOR_84_CONTINUE_INSPECTION} or newer is required`);
      }
      const { inventory, pluginData } = checkInspectionData(req.body);
      const nodeUuid = req.query.node_uuid;
      if (nodeUuid !== undefined && (typeof nodeUuid !== 'string' || !isUuid(nodeUuid))) {
        throw new InvalidParameterValue(`Expected a UUID but received ${shownValue(nodeUuid)}.`);
      }
      const macs = (inventory.interfaces as { mac_address: string }[]).flatMap((nic) => {
        const mac = normalizeMac(nic.mac_address);
        return mac ? [mac] : [];
      });
      if (macs.length === 0 && !nodeUuid) throw new BadRequest('No lookup information provided');
      const node = nodeUuid
        ? await nodes.getByUuid(nodeUuid.toLowerCase())
        : await nodes.getByPortAddresses(macs);
      if (!node) throw new NotFound();
      const answer = await lookupAnswer(req, node);
      await owners.call(req, node, continueInspectionMethod, {
        inventory,
        plugin_data: pluginData,
      });
      res.status(202).json(answer);
    })
    .all(methodNotAllowed(['POST']));

  return router;
}

/** Ironic's minimal inventory: an object with a non-empty list of interfaces with MACs. */
function checkInspectionData(body: unknown): {
  inventory: Record<string, unknown>;
  pluginData: Record<string, unknown>;
} {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject(body) || !isObject(body.inventory)) {
    throw new InvalidParameterValue("Schema error for data: 'inventory' is a required property");
  }
  const interfaces = body.inventory.interfaces;
  if (
    !Array.isArray(interfaces) ||
    interfaces.length === 0 ||
    !interfaces.every((nic) => isObject(nic) && typeof nic.mac_address === 'string')
  ) {
    throw new InvalidParameterValue(
      'Schema error for data: inventory.interfaces must be a non-empty list of objects with a mac_address',
    );
  }
  const { inventory, ...pluginData } = body;
  return { inventory, pluginData };
}
