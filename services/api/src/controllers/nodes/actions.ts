import { Router, type Request, type RequestHandler, type Response } from 'express';
import {
  changePowerStateMethod,
  getBootDeviceMethod,
  getIndicatorStateMethod,
  getSupportedBootDevicesMethod,
  getSupportedIndicatorsMethod,
  injectNmiMethod,
  nodeVendorMethodsMethod,
  nodeVendorPassthruMethod,
  provisionMethod,
  setBootDeviceMethod,
  setBootModeMethod,
  setIndicatorStateMethod,
  validateNodeMethod,
  type NodeRef,
} from '@galvanic/conductor-api';
import type { NodeStore, RunbookStore } from '@galvanic/db';
import { NotFound } from '@galvanic/errors';
import type { RpcMethod } from '@galvanic/rpc';
import { methodNotAllowed } from '../../http/errors';
import { atLeast } from '../../http/microversion';
import { baseUrl, resourceLinks } from '../../http/links';
import {
  MINOR_12_RAID_CONFIG,
  MINOR_29_INJECT_NMI,
  MINOR_75_NODE_BOOT_MODE,
  MINOR_76_NODE_CHANGE_BOOT_MODE,
} from '../../resources/versions';
import { passthruHttpMethod, passthruMethodName, sendPassthruOutcome } from '../passthru';
import { findNode } from './identity';
import { runbookOfRequest } from './runbook-request';
import type { NodeOwners } from './owner';
import {
  checkBootDeviceRequest,
  checkBootModeRequest,
  checkIndicatorStateRequest,
  checkPowerRequest,
  checkProvisionRequest,
  parseIndicator,
} from './states';
import type { NodeViews } from './view';

export interface NodeActionDependencies {
  nodes: NodeStore;
  owners: NodeOwners;
  views: NodeViews;
  runbooks: RunbookStore;
  publicEndpoint: string | undefined;
}

const STATE_FIELDS = [
  'console_enabled',
  'last_error',
  'power_state',
  'provision_state',
  'target_power_state',
  'target_provision_state',
  'provision_updated_at',
];

/** The fields of `GET /v1/nodes/{node}/states` at a microversion. */
function stateFields(minor: number): string[] {
  const fields = [...STATE_FIELDS];
  if (minor >= MINOR_12_RAID_CONFIG) fields.push('raid_config', 'target_raid_config');
  if (minor >= MINOR_75_NODE_BOOT_MODE) fields.push('boot_mode', 'secure_boot');
  return fields;
}

/**
 * A node's actions, each sent to the conductor that owns the node: states, power, provisioning,
 * boot device and mode, NMI, validation and vendor passthru.
 */
export function nodeActionsRouter(deps: NodeActionDependencies): Router {
  const { nodes, owners } = deps;
  const router = Router();
  const node = (req: Request) => findNode(req, nodes, String(req.params.ident));
  const statesLocation = (req: Request, uuid: string) =>
    `${baseUrl(req, deps.publicEndpoint)}/v1/nodes/${uuid}/states`;

  /** A read the owning conductor answers, given nothing but the node. */
  const askOwner =
    <R>(method: RpcMethod<NodeRef, R>): RequestHandler =>
    async (req: Request, res: Response) => {
      res.json(await owners.call(req, await node(req), method, {}));
    };
  /** Below its microversion a route does not exist, as Ironic answers (404). */
  const since =
    (minor: number): RequestHandler =>
    (req, _res, next) => {
      if (!atLeast(req, minor)) throw new NotFound();
      next();
    };

  router
    .route('/:ident/states')
    .get(async (req, res) => {
      res.json(await deps.views.show(req, await node(req), stateFields(req.apiVersion.minor)));
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/:ident/states/power')
    .put(async (req, res) => {
      const found = await node(req);
      const { target, timeout } = checkPowerRequest(req, found);
      await owners.call(
        req,
        found,
        changePowerStateMethod,
        timeout === undefined ? { target } : { target, timeout },
      );
      res.status(202).setHeader('Location', statesLocation(req, found.uuid));
      res.end();
    })
    .all(methodNotAllowed(['PUT']));

  router
    .route('/:ident/states/provision')
    .put(async (req, res) => {
      const found = await node(req);
      const runbook = await runbookOfRequest(req, deps.runbooks);
      await owners.call(req, found, provisionMethod, checkProvisionRequest(req, found, runbook));
      res.status(202).setHeader('Location', statesLocation(req, found.uuid));
      res.end();
    })
    .all(methodNotAllowed(['PUT']));

  router
    .route('/:ident/states/boot_mode')
    .put(async (req, res) => {
      // Ironic finds the node first, then refuses the version, saying since when.
      const found = await node(req);
      if (!atLeast(req, MINOR_76_NODE_CHANGE_BOOT_MODE)) {
        throw new NotFound(
          `This endpoint is supported starting with the API version 1.${MINOR_76_NODE_CHANGE_BOOT_MODE}`,
        );
      }
      await owners.call(req, found, setBootModeMethod, checkBootModeRequest(req, found));
      res.status(202).setHeader('Location', statesLocation(req, found.uuid));
      res.end();
    })
    .all(methodNotAllowed(['PUT']));

  router
    .route('/:ident/management/inject_nmi')
    .all(since(MINOR_29_INJECT_NMI))
    .put(async (req, res) => {
      await owners.call(req, await node(req), injectNmiMethod, {});
      res.status(204).end();
    })
    .all(methodNotAllowed(['PUT']));

  // Indicators came with 1.63 (MINOR_63_INDICATORS), but Ironic's IndicatorController checks no
  // version: they answer at every version, as there.
  router
    .route('/:ident/management/indicators')
    .get(async (req, res) => {
      const ident = String(req.params.ident);
      const { indicators } = await owners.call(
        req,
        await node(req),
        getSupportedIndicatorsMethod,
        {},
      );
      const base = baseUrl(req, deps.publicEndpoint);
      res.json({
        indicators: indicators.map(({ component, name, readonly, states }) => {
          const unique = `${name}@${component}`;
          return {
            name: unique,
            component,
            readonly,
            states,
            links: resourceLinks(base, 'nodes', `${ident}/management/indicators/${unique}`),
          };
        }),
      });
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/:ident/management/indicators/:indicator')
    .get(async (req, res) => {
      const found = await node(req);
      const indicator = parseIndicator(String(req.params.indicator));
      res.json(await owners.call(req, found, getIndicatorStateMethod, indicator));
    })
    .put(async (req, res) => {
      const found = await node(req);
      const indicator = parseIndicator(String(req.params.indicator));
      const state = checkIndicatorStateRequest(req);
      await owners.call(req, found, setIndicatorStateMethod, { ...indicator, state });
      res.status(204).end();
    })
    .all(methodNotAllowed(['GET', 'PUT']));

  router
    .route('/:ident/management/boot_device')
    .get(askOwner(getBootDeviceMethod))
    .put(async (req, res) => {
      const found = await node(req);
      await owners.call(req, found, setBootDeviceMethod, checkBootDeviceRequest(req));
      res.status(204).end();
    })
    .all(methodNotAllowed(['GET', 'PUT']));

  router
    .route('/:ident/management/boot_device/supported')
    .get(askOwner(getSupportedBootDevicesMethod))
    .all(methodNotAllowed(['GET']));

  router
    .route('/:ident/validate')
    .get(askOwner(validateNodeMethod))
    .all(methodNotAllowed(['GET']));

  router
    .route('/:ident/vendor_passthru/methods')
    .get(askOwner(nodeVendorMethodsMethod))
    .all(methodNotAllowed(['GET']));

  router.all(['/:ident/vendor_passthru', '/:ident/vendor_passthru/:method'], async (req, res) => {
    const method = passthruMethodName(req);
    const found = await node(req);
    const outcome = await owners.call(req, found, nodeVendorPassthruMethod, {
      method,
      http_method: passthruHttpMethod(req, method),
      body: req.body,
      driver: found.driver,
      vendor_interface: found.vendor_interface,
    });
    sendPassthruOutcome(res, outcome);
  });
  return router;
}
