import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import type { ConductorDirectory } from '@galvanic/cluster';
import type {
  AllocationStore,
  BiosSettingStore,
  DeployTemplateStore,
  RunbookStore,
  InspectionRuleStore,
  ChassisStore,
  ConductorStore,
  FirmwareComponentStore,
  NodeHistoryStore,
  NodeInventoryStore,
  NodeStore,
  PortgroupStore,
  PortStore,
  VolumeConnectorStore,
  VolumeTargetStore,
} from '@galvanic/db';
import type { RpcClient } from '@galvanic/rpc';
import type { Logger } from '@galvanic/logging';
import { authenticate, type AuthOptions } from './auth/middleware';
import { auditTrail } from './http/audit';
import { jsonBody } from './http/body';
import { rejectUnsafeInput } from './http/json-shape';
import { linkBase, type LinkHostOptions } from './http/links';
import { rateLimit, type RateLimitOptions } from './http/rate-limit';
import { errorHandler, methodNotAllowed, notFound } from './http/errors';
import { requestMetrics } from './http/metrics';
import { legacyJsonSuffix } from './http/json-suffix';
import { microversion } from './http/microversion';
import { requestId } from './http/request-id';
import {
  AllocationApi,
  allocationsRouter,
  nodeAllocationRouter,
} from './controllers/allocations/router';
import { agentRouter, type AgentApiOptions } from './controllers/agent/router';
import {
  allocationNodePolicyTarget,
  allocationPolicyTarget,
} from './controllers/allocations/policy';
import { ALLOCATION_RESOURCE } from './controllers/allocations/resource';
import { conductorsRouter } from './controllers/conductors';
import { DEPLOY_TEMPLATE_RESOURCE } from './controllers/deploy-templates/resource';
import { deployTemplatesRouter } from './controllers/deploy-templates/router';
import { runbooksRouter } from './controllers/runbooks/router';
import { INSPECTION_RULE_RESOURCE } from './controllers/inspection-rules/resource';
import { inspectionRulesRouter } from './controllers/inspection-rules/router';
import { driversRouter } from './controllers/drivers';
import { chassisRouter } from './controllers/chassis/router';
import { nodeBiosRouter } from './controllers/nodes/bios';
import { nodeChildrenRouter } from './controllers/nodes/children';
import { nodeFirmwareRouter } from './controllers/nodes/firmware';
import { nodeHistoryRouter } from './controllers/nodes/history';
import { shardsRouter } from './controllers/shards';
import { nodeInventoryRouter } from './controllers/nodes/inventory';
import { nodeServices, nodesRouter, type ReservationLookup } from './controllers/nodes/router';
import { nodePortgroupsRouter, portgroupsRouter } from './controllers/portgroups/router';
import { portsRouter, subPortsRouter } from './controllers/ports/router';
import {
  VOLUME_POLICY,
  volumeConnectorNotFound,
  volumePolicyTarget,
  volumeTargetNotFound,
} from './controllers/volume/policy';
import { nodeVolumeRouter, volumeRouter } from './controllers/volume/router';
import { healthRouter, type ReadinessCheck } from './controllers/health';
import { rootRouter, v1Document } from './controllers/root';
import { CONDUCTOR_POLICY, DRIVER_POLICY } from './controllers/driver-policy';
import { nodePolicyTarget } from './controllers/nodes/policy';
import { NODE_RESOURCE } from './controllers/nodes/resource';
import { bodyNodeTarget, portPolicyTarget } from './controllers/ports/policy';
import { portgroupPolicyTarget } from './controllers/portgroups/policy';
import { PORTGROUP_RESOURCE } from './controllers/portgroups/resource';
import { PORT_RESOURCE } from './controllers/ports/resource';
import { CHASSIS_RESOURCE } from './controllers/chassis/resource';
import { GENERIC_RULES } from './policy/base-rules';
import { PolicyEnforcer } from './policy/enforcer';
import { defaultRules, policyGuard, type ResourcePolicy } from './resources/policy';

export interface ApiDependencies {
  logger: Logger;
  conductors: ConductorStore;
  nodes: NodeStore;
  ports: PortStore;
  portgroups: PortgroupStore;
  volumeConnectors: VolumeConnectorStore;
  volumeTargets: VolumeTargetStore;
  chassis: ChassisStore;
  biosSettings: BiosSettingStore;
  history: NodeHistoryStore;
  firmware: FirmwareComponentStore;
  allocations: AllocationStore;
  deployTemplates: DeployTemplateStore;
  inventories: NodeInventoryStore;
  runbooks: RunbookStore;
  inspectionRules: InspectionRuleStore;
  reservations: ReservationLookup;
  directory: ConductorDirectory;
  rpc: RpcClient;
  readiness: readonly ReadinessCheck[];
  registry: Registry;
  publicEndpoint?: string | undefined;
  /** `[api] host_ip` and `[api] allowed_hosts`: which Host headers links may be built from. */
  linkHosts?: LinkHostOptions;
  maxRequestBodySize: number;
  /** `[api] rate_limit_per_client` and `rate_limit_burst`; no limit when unset. */
  rateLimit?: RateLimitOptions;
  /** `[DEFAULT] auth_strategy` and what it needs; noauth when unset. */
  auth?: Omit<AuthOptions, 'logger'>;
  /** `[oslo_policy] policy_file`: the operator's rule overrides. */
  policyFile?: string | undefined;
  /** The agent endpoints' options; Ironic's defaults when unset. */
  agent?: AgentApiOptions;
}

/** Every resource's declared policy, beside its fields where it has a declaration. */
const RESOURCE_POLICIES: readonly ResourcePolicy[] = [
  NODE_RESOURCE.policy!,
  PORT_RESOURCE.policy!,
  PORTGROUP_RESOURCE.policy!,
  CHASSIS_RESOURCE.policy!,
  ALLOCATION_RESOURCE.policy!,
  DEPLOY_TEMPLATE_RESOURCE.policy!,
  INSPECTION_RULE_RESOURCE.policy!,
  VOLUME_POLICY,
  DRIVER_POLICY,
  CONDUCTOR_POLICY,
];

/** The methods Ironic's collections take, so other methods get its 405 and `Allow` header. */
const IRONIC_RESOURCE_METHODS: readonly [string, string[]][] = [
  ['/chassis', ['DELETE', 'GET', 'PATCH', 'POST']],
  ['/nodes', ['DELETE', 'GET', 'PATCH', 'POST']],
  ['/ports', ['DELETE', 'GET', 'PATCH', 'POST']],
  ['/portgroups', ['DELETE', 'GET', 'PATCH', 'POST']],
  ['/drivers', ['GET']],
  ['/allocations', ['GET', 'POST']],
  ['/deploy_templates', ['GET', 'POST']],
  ['/runbooks', ['GET', 'POST']],
  ['/inspection_rules', ['GET', 'POST']],
];

/** The HTTP application: Ironic's REST API v1 plus health and metrics endpoints. */
export function createApp(deps: ApiDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('json spaces', 0);
  app.use(requestId);
  app.use(requestMetrics(deps.registry));
  app.use(healthRouter(deps.readiness, deps.registry, deps.logger));
  app.use(auditTrail(deps.logger));
  app.use(rateLimit(deps.rateLimit ?? { perSecond: 0 }));
  const auth = deps.auth ?? { strategy: 'noauth' };
  app.use(authenticate({ ...auth, logger: deps.logger }));
  const enforcer = new PolicyEnforcer(
    { ...GENERIC_RULES, ...defaultRules(RESOURCE_POLICIES) },
    auth.strategy === 'keystone',
    deps.logger,
    deps.policyFile,
  );
  app.use(linkBase(deps.publicEndpoint, deps.linkHosts));
  app.use(rootRouter(deps.publicEndpoint));

  const v1 = express.Router();
  // Ironic refuses a method before it negotiates a version, so its 405s carry no version headers.
  for (const [path, methods] of IRONIC_RESOURCE_METHODS) v1.all(path, methodNotAllowed(methods));
  v1.use(microversion);
  v1.use(legacyJsonSuffix);
  v1.use(jsonBody(deps.maxRequestBodySize));
  v1.use(rejectUnsafeInput);
  v1.use(
    policyGuard({
      enforcer,
      policies: RESOURCE_POLICIES,
      finders: {
        node: nodePolicyTarget(deps.nodes),
        port: portPolicyTarget(deps.ports, deps.nodes),
        portgroup: portgroupPolicyTarget(deps.portgroups, deps.nodes),
        'body-node': bodyNodeTarget(deps.nodes),
        allocation: allocationPolicyTarget(deps.allocations),
        'allocation-node': allocationNodePolicyTarget(deps.nodes),
        'volume-connector': volumePolicyTarget(
          deps.volumeConnectors,
          deps.nodes,
          volumeConnectorNotFound,
        ),
        'volume-target': volumePolicyTarget(deps.volumeTargets, deps.nodes, volumeTargetNotFound),
      },
    }),
  );
  v1.route('/')
    .get((req, res) => {
      res.json(v1Document(req, deps.publicEndpoint));
    })
    .all(methodNotAllowed(['GET']));
  v1.use('/conductors', conductorsRouter(deps.conductors, deps.publicEndpoint));
  v1.use('/drivers', driversRouter(deps.conductors, deps.directory, deps.rpc, deps.publicEndpoint));
  const ports = {
    ports: deps.ports,
    portgroups: deps.portgroups,
    nodes: deps.nodes,
    publicEndpoint: deps.publicEndpoint,
  };
  v1.use('/nodes/:ident/ports', subPortsRouter(ports, 'node'));
  v1.use('/nodes/:ident/portgroups', nodePortgroupsRouter(ports));
  const volume = {
    connectors: deps.volumeConnectors,
    targets: deps.volumeTargets,
    nodes: deps.nodes,
    publicEndpoint: deps.publicEndpoint,
  };
  v1.use('/nodes/:ident/volume', nodeVolumeRouter(volume));
  v1.use(
    '/nodes/:ident/bios',
    nodeBiosRouter({
      nodes: deps.nodes,
      biosSettings: deps.biosSettings,
      publicEndpoint: deps.publicEndpoint,
    }),
  );
  const nodeLinks = { nodes: deps.nodes, publicEndpoint: deps.publicEndpoint };
  v1.use('/nodes/:ident/history', nodeHistoryRouter({ ...nodeLinks, history: deps.history }));
  v1.use('/nodes/:ident/children', nodeChildrenRouter(nodeLinks));
  v1.use(
    '/nodes/:ident/firmware',
    nodeFirmwareRouter({ nodes: deps.nodes, firmware: deps.firmware }),
  );
  v1.use('/shards', shardsRouter(deps.nodes));
  const nodes = nodeServices({
    nodes: deps.nodes,
    chassis: deps.chassis,
    allocations: deps.allocations,
    directory: deps.directory,
    rpc: deps.rpc,
    reservations: deps.reservations,
    runbooks: deps.runbooks,
    publicEndpoint: deps.publicEndpoint,
  });
  const allocations = new AllocationApi({
    allocations: deps.allocations,
    nodes: deps.nodes,
    owners: nodes.owners,
    directory: deps.directory,
    rpc: deps.rpc,
    publicEndpoint: deps.publicEndpoint,
  });
  v1.use('/nodes/:ident/allocation', nodeAllocationRouter(allocations));
  v1.use('/allocations', allocationsRouter(allocations));
  v1.use('/deploy_templates', deployTemplatesRouter(deps.deployTemplates, deps.publicEndpoint));
  v1.use('/nodes/:ident/inventory', nodeInventoryRouter(deps.nodes, deps.inventories));
  v1.use('/runbooks', runbooksRouter(deps.runbooks, deps.publicEndpoint));
  v1.use('/inspection_rules', inspectionRulesRouter(deps.inspectionRules, deps.publicEndpoint));
  v1.use('/nodes', nodesRouter(nodes));
  v1.use(
    agentRouter({
      nodes: deps.nodes,
      inventories: deps.inventories,
      owners: nodes.owners,
      views: nodes.views,
      logger: deps.logger,
      options: deps.agent ?? {
        restrictLookup: true,
        heartbeatTimeout: 300,
        rateLimit: { perSecond: 10 },
      },
    }),
  );
  v1.use(
    '/chassis',
    chassisRouter({ chassis: deps.chassis, nodes, publicEndpoint: deps.publicEndpoint }),
  );
  v1.use('/ports', portsRouter(ports));
  v1.use('/portgroups', portgroupsRouter(ports, subPortsRouter(ports, 'portgroup')));
  v1.use('/volume', volumeRouter(volume));
  v1.use(notFound);
  app.use('/v1', v1);

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
