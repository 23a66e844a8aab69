import { GalvanicError, errorKind as kindOf } from '@galvanic/driver-sdk';

// The kinds a driver throws are declared by the SDK.
export {
  InvalidParameterValue,
  MissingParameterValue,
  UnsupportedDriverExtension,
  InvalidState,
  InternalError,
  TemporaryFailure,
  ImageDownloadFailed,
} from '@galvanic/driver-sdk';

/**
 * An error whose text was already formed elsewhere (by a driver, by a remote conductor) and whose
 * kind and status are known. Used to rebuild errors that crossed the RPC boundary.
 */
class PreformedError extends GalvanicError {
  constructor(
    readonly kind: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = kind;
  }
}

// 400
export class Invalid extends kindOf('Invalid', 400) {
  constructor(message = 'Unacceptable parameters.') {
    super(message);
  }
}
export class BadRequest extends kindOf('BadRequest', 400) {}
export class InvalidUuidOrName extends kindOf('InvalidUuidOrName', 400) {
  constructor(name: string) {
    super(`Expected a logical name or UUID but received ${name}.`);
  }
}
export class IncompleteLookup extends kindOf('IncompleteLookup', 400) {
  constructor() {
    super("At least one of 'addresses' and 'node_uuid' parameters is required");
  }
}
export class InvalidStateRequested extends kindOf('InvalidStateRequested', 400) {
  constructor(action: string, node: string, state: string) {
    super(
      `The requested action "${action}" can not be performed on node "${node}" while it is in state "${state}".`,
    );
  }
}
export class PatchError extends kindOf('PatchError', 400) {
  constructor(patch: string, reason: string) {
    super(`Couldn't apply patch '${patch}'. Reason: ${reason}`);
  }
}
export class ChassisNotEmpty extends kindOf('ChassisNotEmpty', 400) {
  constructor(chassis: string) {
    super(`Cannot complete the requested action because chassis ${chassis} contains nodes.`);
  }
}
export class PortgroupNotEmpty extends kindOf('PortgroupNotEmpty', 400) {
  /** `message` replaces the usual text, as Ironic does when moving a port group. */
  constructor(portgroup: string, message?: string) {
    super(
      message ??
        `Cannot complete the requested action because portgroup ${portgroup} contains ports.`,
    );
  }
}
export class NodeInMaintenance extends kindOf('NodeInMaintenance', 400) {
  constructor(operation: string, node: string) {
    super(
      `The ${operation} operation can't be performed on node ${node} because it's in maintenance mode.`,
    );
  }
}

export class NodeIsRetired extends kindOf('NodeIsRetired', 400) {
  constructor(op: string, node: string) {
    super(`The ${op} operation can't be performed on node ${node} because it is retired.`);
  }
}
export class VifNotAttached extends kindOf('VifNotAttached', 400) {
  constructor(vif: string, node: string) {
    super(`Unable to detach VIF ${vif} from node ${node} because it is not attached to it.`);
  }
}
export class NoFreePhysicalPorts extends kindOf('NoFreePhysicalPorts', 400) {
  constructor(vif: string) {
    super(`Unable to attach VIF ${vif}, not enough free physical ports.`);
  }
}
// 403
/** Ironic's refusal by policy, naming the rule that refused. */
export class HTTPForbidden extends kindOf('HTTPForbidden', 403) {
  constructor(resource: string) {
    super(`Access was denied to the following resource: ${resource}`);
  }
}

// 404
export class NotFound extends kindOf('NotFound', 404) {
  constructor(message = 'Resource could not be found.') {
    super(message);
  }
}
export class NodeNotFound extends kindOf('NodeNotFound', 404) {
  constructor(node: string) {
    super(`Node ${node} could not be found.`);
  }
}
export class NodeInventoryNotFound extends kindOf('NodeInventoryNotFound', 404) {
  constructor(node: string) {
    super(`Node inventory for node ${node} could not be found.`);
  }
}
export class BiosSettingNotFound extends kindOf('BIOSSettingNotFound', 404) {
  constructor(node: string, name: string) {
    super(`Node ${node} doesn't have a BIOS setting '${name}'`);
  }
}
export class NodeTraitNotFound extends kindOf('NodeTraitNotFound', 404) {
  constructor(node: string, trait: string) {
    super(`Node ${node} doesn't have a trait '${trait}'`);
  }
}
export class NodeHistoryNotFound extends kindOf('NodeHistoryNotFound', 404) {
  constructor(event: string) {
    super(`Node history record ${event} could not be found.`);
  }
}
export class PortNotFound extends kindOf('PortNotFound', 404) {
  constructor(port: string) {
    super(`Port ${port} could not be found.`);
  }
}
export class PortgroupNotFound extends kindOf('PortgroupNotFound', 404) {
  constructor(portgroup: string) {
    super(`Portgroup ${portgroup} could not be found.`);
  }
}
export class VolumeConnectorNotFound extends kindOf('VolumeConnectorNotFound', 404) {
  constructor(connector: string) {
    super(`Volume connector ${connector} could not be found.`);
  }
}
export class VolumeTargetNotFound extends kindOf('VolumeTargetNotFound', 404) {
  constructor(target: string) {
    super(`Volume target ${target} could not be found.`);
  }
}
export class ChassisNotFound extends kindOf('ChassisNotFound', 404) {
  constructor(chassis: string) {
    super(`Chassis ${chassis} could not be found.`);
  }
}
export class AllocationNotFound extends kindOf('AllocationNotFound', 404) {
  constructor(allocation: string) {
    super(`Allocation ${allocation} could not be found.`);
  }
}
export class DeployTemplateNotFound extends kindOf('DeployTemplateNotFound', 404) {
  constructor(template: string) {
    super(`Deploy template ${template} could not be found.`);
  }
}
export class RunbookNotFound extends kindOf('RunbookNotFound', 404) {
  constructor(runbook: string) {
    super(`Runbook ${runbook} could not be found.`);
  }
}
export class InspectionRuleNotFound extends kindOf('InspectionRuleNotFound', 404) {
  constructor(rule: string) {
    super(`Rule ${rule} could not be found.`);
  }
}
export class DriverNotFound extends kindOf('DriverNotFound', 404) {
  constructor(driverName: string) {
    super(`Could not find the following driver(s) or hardware type(s): ${driverName}.`);
  }
}
export class ConductorNotFound extends kindOf('ConductorNotFound', 404) {
  constructor(conductor: string) {
    super(`Conductor ${conductor} could not be found.`);
  }
}

/** Ironic's AllocationFailed (a 500 when it reaches a client, as in Ironic). */
export class AllocationFailed extends kindOf('AllocationFailed', 500) {
  constructor(uuid: string, error: string) {
    super(`Failed to process allocation ${uuid}: ${error}.`);
  }
}

// 406
export class NotAcceptable extends kindOf('NotAcceptable', 406) {
  constructor(message = 'Request not acceptable.') {
    super(message);
  }
}

// 403
export class OperationNotPermitted extends kindOf('OperationNotPermitted', 403) {
  constructor(message = 'Operation not permitted.') {
    super(message);
  }
}

// 409
export class Conflict extends kindOf('Conflict', 409) {
  constructor(message = 'Conflict.') {
    super(message);
  }
}
export class NodeLocked extends kindOf('NodeLocked', 409) {
  constructor(node: string, host: string) {
    super(
      `Node ${node} is locked by host ${host}, please retry after the current operation is completed.`,
    );
  }
}
export class DuplicateName extends kindOf('DuplicateName', 409) {
  constructor(name: string) {
    super(`A node with name ${name} already exists.`);
  }
}
export class MACAlreadyExists extends kindOf('MACAlreadyExists', 409) {
  constructor(mac: string) {
    super(`A port with MAC address ${mac} already exists.`);
  }
}
export class VifAlreadyAttached extends kindOf('VifAlreadyAttached', 409) {
  constructor(vif: string, objectType: 'Port' | 'Portgroup', objectUuid: string) {
    super(
      `Unable to attach VIF because VIF ${vif} is already attached to Ironic ${objectType} ${objectUuid}`,
    );
  }
}
export class PowerStateFailure extends kindOf('PowerStateFailure', 409) {
  constructor(state: string) {
    super(`Failed to set node power state to ${state}.`);
  }
}
export class AllocationAlreadyExists extends kindOf('AllocationAlreadyExists', 409) {
  constructor(uuid: string) {
    super(`An allocation with UUID ${uuid} already exists.`);
  }
}
export class AllocationDuplicateName extends kindOf('AllocationDuplicateName', 409) {
  constructor(name: string) {
    super(`An allocation with name ${name} already exists.`);
  }
}
export class DeployTemplateAlreadyExists extends kindOf('DeployTemplateAlreadyExists', 409) {
  constructor(uuid: string) {
    super(`A deploy template with UUID ${uuid} already exists.`);
  }
}
export class InspectionRuleAlreadyExists extends kindOf('InspectionRuleAlreadyExists', 409) {
  constructor(uuid: string) {
    super(`A rule with UUID ${uuid} already exists.`);
  }
}
export class DeployTemplateDuplicateName extends kindOf('DeployTemplateDuplicateName', 409) {
  constructor(name: string) {
    super(`A deploy template with name ${name} already exists.`);
  }
}
export class RunbookAlreadyExists extends kindOf('RunbookAlreadyExists', 409) {
  constructor(uuid: string) {
    super(`A runbook with UUID ${uuid} already exists.`);
  }
}
export class RunbookDuplicateName extends kindOf('RunbookDuplicateName', 409) {
  constructor(name: string) {
    super(`A runbook with name ${name} already exists.`);
  }
}
/** Ironic's NodeAssociated (an InvalidState): the node already has an instance. */
export class NodeAssociated extends kindOf('NodeAssociated', 409) {
  constructor(node: string, instance: string) {
    super(`Node ${node} is associated with instance ${instance}.`);
  }
}
export class InstanceAssociated extends kindOf('InstanceAssociated', 409) {
  constructor(instance: string, node: string) {
    super(
      `Instance ${instance} is already associated with a node, it cannot be associated with this other node ${node}`,
    );
  }
}
export class ConductorAlreadyRegistered extends kindOf('ConductorAlreadyRegistered', 409) {
  constructor(conductor: string) {
    super(`Conductor ${conductor} already registered.`);
  }
}

// 413
export class RequestEntityTooLarge extends kindOf('RequestEntityTooLarge', 413) {
  constructor(limit: number) {
    super(`Request is too large. The maximum allowed request body size is ${limit} bytes.`);
  }
}

export class UnsupportedMediaType extends kindOf('UnsupportedMediaType', 415) {
  constructor(contentType: string) {
    super(
      `Unsupported Content-Type ${contentType ? JSON.stringify(contentType.slice(0, 100)) : '(none)'}: send request bodies as application/json.`,
    );
  }
}
export class TooManyRequests extends kindOf('TooManyRequests', 429) {
  constructor() {
    super('Too many requests from this client; retry later.');
  }
}

// 500
/** Ironic's InstanceRescueFailure: a rescue that could not start (its validation failed). */
export class InstanceRescueFailure extends kindOf('InstanceRescueFailure', 500) {
  constructor(instance: string | null, node: string, reason: string) {
    super(`Failed to rescue instance ${instance ?? 'None'} for node ${node}: ${reason}`);
  }
}
export class DriverLoadError extends kindOf('DriverLoadError', 500) {
  constructor(driver: string, reason: string) {
    super(`Driver, hardware type or interface ${driver} could not be loaded. Reason: ${reason}.`);
  }
}

/**
 * A conductor refused a call made with an RPC contract whose major version it does not speak;
 * nothing ran. Seen only when a message bypasses routing, which sends calls to conductors that
 * speak the caller's contract.
 */
export class IncompatibleRpcContract extends kindOf('IncompatibleRpcContract', 500) {
  constructor(host: string, spoken: string, received: string | undefined) {
    const made = received === undefined ? 'names no contract version' : `uses contract ${received}`;
    super(
      `Conductor ${host} speaks RPC contract ${spoken} and refused a call that ${made}: ` +
        'major versions must match; the call was not run.',
    );
  }
}

// 503
export class NoFreeConductorWorker extends kindOf('NoFreeConductorWorker', 503) {
  constructor() {
    super('Requested action cannot be performed due to lack of free conductor workers.');
  }
}
export class NoValidHost extends kindOf('NoValidHost', 503) {
  constructor(reason: string) {
    super(`No valid host was found. Reason: ${reason}`);
  }
}
export class ServiceUnavailable extends kindOf('ServiceUnavailable', 503) {}

// RPC failures seen by the caller. They are server-side faults from the client's point of view.
export class RpcTimeout extends kindOf('RpcTimeout', 503) {}
export class RpcUnreachable extends kindOf('RpcUnreachable', 503) {}
export class RpcConnectionLost extends kindOf('RpcConnectionLost', 503) {}
/**
 * A conductor refused a node call because it no longer owns the node on the ring (its membership
 * lapsed, or the ring moved). Nothing ran: the caller may route the call again to the new owner.
 */
export class NodeOwnerChanged extends kindOf('NodeOwnerChanged', 503) {
  constructor(host: string, node: string) {
    super(`Conductor ${host} no longer manages node ${node}; the request was not run.`);
  }
}
/**
 * A conductor that is leaving the cluster (it got SIGTERM) refused a call it received while it
 * drains. Nothing ran: the caller may send the call to another conductor.
 */
export class ConductorLeaving extends kindOf('ConductorLeaving', 503) {
  constructor(host: string) {
    super(`Conductor ${host} is leaving the cluster; the request was not run.`);
  }
}
/** A node call older than one already accepted for the same node; it never runs. */
export class StaleRequest extends kindOf('StaleRequest', 409) {
  constructor(node: string) {
    super(`A newer request for node ${node} was already accepted; this older one was not run.`);
  }
}

/** Rebuilds an error that crossed the wire, keeping its kind, status and text. */
export function errorFromWire(wire: {
  kind: string;
  status: number;
  message: string;
}): GalvanicError {
  return new PreformedError(wire.kind, wire.status, wire.message);
}

/** Ironic's HardwareInspectionFailure: inspection failed; `last_error` carries the message. */
export class HardwareInspectionFailure extends kindOf('HardwareInspectionFailure', 500) {
  constructor(error: string) {
    super(`Failed to inspect hardware. Reason: ${error}`);
  }
}
/** Ironic's InspectionRuleExecutionFailure: a rule could not run. */
export class InspectionRuleExecutionFailure extends kindOf('InspectionRuleExecutionFailure', 500) {
  constructor(reason: string) {
    super(`Inspection rule execution failed. Reason: ${reason}`);
  }
}
/** Ironic's RuleActionExecutionFailure: a rule's action could not be carried out. */
export class RuleActionExecutionFailure extends kindOf('RuleActionExecutionFailure', 500) {
  constructor(reason: string) {
    super(`Inspection rule action execution failed. Reason: ${reason}`);
  }
}
/** Ironic's RuleConditionCheckFailure: a rule's condition could not be checked. */
export class RuleConditionCheckFailure extends kindOf('RuleConditionCheckFailure', 500) {
  constructor(reason: string) {
    super(`Inspection rule condition check failed. Reason: ${reason}`);
  }
}
