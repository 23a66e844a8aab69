import { Conductors1763700000000 } from './1763700000000-conductors';
import { NodesPorts1763800000000 } from './1763800000000-nodes-ports';
import { NodeLockEpochs1764400000000 } from './1764400000000-node-lock-epochs';
import { RequestOrder1764400000001 } from './1764400000001-request-order';
import { ConductorContractVersion1764500000000 } from './1764500000000-conductor-contract-version';
import { Chassis1764900000000 } from './1764900000000-chassis';
import { BiosSettings1765000000000 } from './1765000000000-bios-settings';
import { PortgroupsVolume1766000000000 } from './1766000000000-portgroups-volume';
import { NodeHistoryChildren1766100000000 } from './1766100000000-node-history-children';
import { Allocations1766200000000 } from './1766200000000-allocations';
import { DeployTemplates1766200000001 } from './1766200000001-deploy-templates';
import { NodeInventory1766700000000 } from './1766700000000-node-inventory';
import { NodeServiceStep1766800000000 } from './1766800000000-node-service-step';
import { Runbooks1766800000001 } from './1766800000001-runbooks';
import { InspectionRules1766900000000 } from './1766900000000-inspection-rules';

/** Every migration, oldest first. Add new ones at the end; never edit one that has shipped. */
export const allMigrations = [
  Conductors1763700000000,
  NodesPorts1763800000000,
  NodeLockEpochs1764400000000,
  RequestOrder1764400000001,
  ConductorContractVersion1764500000000,
  Chassis1764900000000,
  BiosSettings1765000000000,
  PortgroupsVolume1766000000000,
  NodeHistoryChildren1766100000000,
  Allocations1766200000000,
  DeployTemplates1766200000001,
  NodeInventory1766700000000,
  NodeServiceStep1766800000000,
  Runbooks1766800000001,
  InspectionRules1766900000000,
];
