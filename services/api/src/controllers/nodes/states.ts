import type { Request } from 'express';
import type {
  BootDeviceArgs,
  BootModeArgs,
  IndicatorArgs,
  NodeRef,
  ProvisionArgs,
} from '@galvanic/conductor-api';
import type { NodeRow, RunbookRow } from '@galvanic/db';
import {
  BadRequest,
  Conflict,
  InvalidParameterValue,
  InvalidStateRequested,
  NodeLocked,
  NotAcceptable,
  PowerStateFailure,
} from '@galvanic/errors';
import {
  checkPowerRequest as checkPowerTarget,
  isBootDevice,
  isBootMode,
  isIndicatorComponent,
  isIndicatorState,
  isHeld,
  isProvisionTarget,
  type IndicatorState,
  TRANSIENT_STATES,
  PROVISION_TARGET_MIN_MINOR,
  type PowerState,
  type PowerTarget,
  type ProvisionState,
} from '@galvanic/node-states';
import {
  MINOR_108_SERVICE_DISABLE_RAMDISK,
  MINOR_110_DEPLOYWAIT_ABORT,
  MINOR_70_CLEAN_DISABLE_RAMDISK,
  MINOR_85_UNHOLD_VERB,
} from '../../resources/versions';
import { shownValue } from '../../resources/rules';
import { checkRunbookApproved, stepsOfRunbook } from './runbook-request';
import { checkConfigDrive } from './configdrive';

export function objectBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequest('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

/** Ironic's checks of `PUT .../states/power`, in its order, with its wording. */
export function checkPowerRequest(
  req: Request,
  node: NodeRow,
): { target: PowerTarget; timeout?: number } {
  const body = objectBody(req);
  if (body.timeout !== undefined && body.timeout !== null && !Number.isInteger(body.timeout)) {
    throw new InvalidParameterValue(
      `Invalid timeout value ${JSON.stringify(body.timeout)}, it must be a positive integer.`,
    );
  }
  const timeout = (body.timeout ?? undefined) as number | undefined;
  if (body.target !== undefined && body.target !== null && typeof body.target !== 'string') {
    throw new InvalidParameterValue(`Expected string for target: ${shownValue(body.target)}`);
  }
  const checked = checkPowerTarget({
    target: String(body.target),
    nodeIdent: node.uuid,
    powerState: node.power_state as PowerState | null,
    provisionState: node.provision_state as ProvisionState,
    minor: req.apiVersion.minor,
    timeout,
  });
  // Ironic's check, after the state checks: a node with disable_power_off is never powered off.
  if (node.disable_power_off && (checked === 'power off' || checked === 'soft power off')) {
    throw new PowerStateFailure(checked);
  }
  const target = checked;
  return timeout === undefined ? { target } : { target, timeout };
}

export type ProvisionRequest = Omit<ProvisionArgs, keyof NodeRef>;

/**
 * Ironic's checks of `PUT .../states/provision`, in its order. `runbook` is the runbook the
 * request names (1.92): its steps stand for `clean_steps` or `service_steps`, and its
 * `disable_ramdisk` for the request's.
 */
export function checkProvisionRequest(
  req: Request,
  node: NodeRow,
  runbook?: RunbookRow,
): ProvisionRequest {
  const body = objectBody(req);
  const target = body.target;
  if (typeof target !== 'string' || !isProvisionTarget(target)) {
    throw new InvalidStateRequested(shownValue(target), node.uuid, node.provision_state);
  }
  if (target === 'unhold' && req.apiVersion.minor < MINOR_85_UNHOLD_VERB) {
    // Ironic checks the state machine before this gate: outside a hold state `unhold` is refused
    // as any verb the state cannot take; only a held node gets the 406.
    const state = node.provision_state as ProvisionState;
    if (!isHeld(state)) {
      if (node.reservation) throw new NodeLocked(node.uuid, node.reservation);
      throw new InvalidStateRequested(target, node.uuid, state);
    }
    throw new NotAcceptable('Request not acceptable.');
  }
  const since = PROVISION_TARGET_MIN_MINOR[target];
  if (req.apiVersion.minor < since) {
    throw new NotAcceptable(
      `Request not acceptable. The minimal required API version should be 1.${since}`,
    );
  }
  if (
    target === 'abort' &&
    node.provision_state === 'wait call-back' &&
    req.apiVersion.minor < MINOR_110_DEPLOYWAIT_ABORT
  ) {
    throw new NotAcceptable('Request not acceptable.');
  }
  // The 1.73 aliases name the same actions.
  const action = target === 'undeploy' ? 'deleted' : target === 'deploy' ? 'active' : target;
  const request: ProvisionRequest = { target: action };
  if (body.configdrive !== undefined) {
    if (action !== 'active' && action !== 'rebuild') {
      throw new InvalidParameterValue(
        'Adding a config drive is only supported when setting provision state to active or rebuild',
      );
    }
    checkConfigDrive(req, body.configdrive);
    request.configdrive = body.configdrive;
  }
  const rescuePassword = checkRescuePassword(action, body.rescue_password);
  if (rescuePassword !== undefined) request.rescue_password = rescuePassword;
  let cleanSteps = body.clean_steps;
  let serviceSteps = body.service_steps;
  let disableRamdisk = body.disable_ramdisk;
  if (runbook) {
    checkRunbookApproved(req, node, runbook);
    disableRamdisk = runbook.disable_ramdisk;
    if (action === 'clean') {
      if (Array.isArray(cleanSteps) && cleanSteps.length > 0)
        throw new BadRequest('Please provide either "clean_steps" or a runbook, but not both.');
      cleanSteps = stepsOfRunbook(runbook);
    } else if (action === 'service') {
      if (Array.isArray(serviceSteps) && serviceSteps.length > 0)
        throw new BadRequest('Please provide either "service_steps" or a runbook, but not both.');
      serviceSteps = stepsOfRunbook(runbook);
    }
  }
  const ramdiskDisabled = checkDisableRamdisk(req, action, disableRamdisk);
  if (ramdiskDisabled !== undefined) request.disable_ramdisk = ramdiskDisabled;
  if (cleanSteps !== undefined) {
    if (action !== 'clean')
      throw new InvalidParameterValue(
        '"clean_steps" is only valid when setting target provision state to clean',
      );
    if (!Array.isArray(cleanSteps))
      throw new InvalidParameterValue('"clean_steps" must be a list of steps');
    request.clean_steps = cleanSteps as Record<string, unknown>[];
  } else if (action === 'clean') {
    throw new InvalidParameterValue(
      '"clean_steps" is required when setting target provision state to clean',
    );
  }
  if (body.deploy_steps !== undefined) {
    if (!Array.isArray(body.deploy_steps))
      throw new InvalidParameterValue('"deploy_steps" must be a list of steps');
    request.deploy_steps = body.deploy_steps as Record<string, unknown>[];
  }
  if (serviceSteps !== undefined && serviceSteps !== null) {
    if (action !== 'service')
      throw new InvalidParameterValue(
        '"service_steps" is only valid when setting target provision state to service',
      );
    if (!Array.isArray(serviceSteps))
      throw new InvalidParameterValue('"service_steps" must be a list of steps');
    request.service_steps = serviceSteps as Record<string, unknown>[];
  }
  if (action === 'service' && !request.service_steps?.length) {
    throw new InvalidParameterValue(
      '"service_steps" is required when setting target provision state to service',
    );
  }
  return request;
}

/**
 * Ironic's `rescue_password` rule: a non-empty string is required with `rescue` and refused with
 * any other target.
 */
function checkRescuePassword(action: string, value: unknown): string | undefined {
  if (value !== undefined && value !== null && action !== 'rescue') {
    throw new BadRequest(
      '"rescue_password" is only valid when setting target provision state to rescue',
    );
  }
  if (action !== 'rescue') return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new BadRequest(
      'A non-empty "rescue_password" is required when setting target provision state to rescue',
    );
  }
  return value;
}

/**
 * Ironic's `disable_ramdisk` rule: manual cleaning takes it from 1.70, servicing from 1.108
 * (406 below), any other verb refuses it (400).
 */
function checkDisableRamdisk(req: Request, action: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw new InvalidParameterValue(`Invalid value for disable_ramdisk: ${JSON.stringify(value)}`);
  const since =
    action === 'clean'
      ? MINOR_70_CLEAN_DISABLE_RAMDISK
      : action === 'service'
        ? MINOR_108_SERVICE_DISABLE_RAMDISK
        : undefined;
  if (since === undefined)
    throw new BadRequest('disable_ramdisk is supported only with manual cleaning or servicing');
  if (req.apiVersion.minor < since)
    throw new NotAcceptable('disable_ramdisk is not acceptable in this API version');
  return value;
}

export function checkBootDeviceRequest(req: Request): Omit<BootDeviceArgs, keyof NodeRef> {
  const body = objectBody(req);
  if (typeof body.boot_device !== 'string')
    throw new InvalidParameterValue('"boot_device" is a required string');
  // Ironic's conductor words it so; no driver supports a device Ironic does not name.
  if (!isBootDevice(body.boot_device))
    throw new InvalidParameterValue(`Invalid boot device ${body.boot_device} specified.`);
  const persistent = body.persistent ?? false;
  if (typeof persistent !== 'boolean')
    throw new InvalidParameterValue('"persistent" must be true or false');
  return { boot_device: body.boot_device, persistent };
}

/**
 * Ironic's checks of `PUT .../states/boot_mode`: `target` is `uefi` or `bios`, and a node in a
 * transient provisioning state is not changed under its running work (409).
 */
export function checkBootModeRequest(
  req: Request,
  node: NodeRow,
): Omit<BootModeArgs, keyof NodeRef> {
  const body = objectBody(req);
  if (!isBootMode(body.target)) {
    throw new InvalidParameterValue(
      `Invalid boot mode ${shownValue(body.target)} requested for node. Allowed boot modes are: bios, uefi`,
    );
  }
  if (TRANSIENT_STATES.has(node.provision_state as ProvisionState)) {
    throw new Conflict(
      `Node is in ${node.provision_state} state. Since node is transitioning, the boot mode will ` +
        'not be set as this may interfere with ongoing changes and result in erroneous ' +
        'modification. Try again later.',
    );
  }
  return { boot_mode: body.target };
}

/**
 * An indicator as the API names it, `name@component` split at the first `@` (Ironic's
 * IndicatorAtComponent); a component Ironic does not name is refused here.
 */
export function parseIndicator(ident: string): Omit<IndicatorArgs, keyof NodeRef> {
  const at = ident.indexOf('@');
  if (at < 0) throw new InvalidParameterValue(`Malformed indicator name "${ident}"`);
  const indicator = ident.slice(0, at);
  const component = ident.slice(at + 1);
  if (!indicator || !isIndicatorComponent(component)) {
    throw new InvalidParameterValue(
      `Invalid indicator ${ident}: the component is one of system, chassis, disk, power, nic.`,
    );
  }
  return { indicator, component };
}

/** The body of `PUT .../management/indicators/{indicator}`: `{"state": "ON"|"OFF"|"BLINKING"}`. */
export function checkIndicatorStateRequest(req: Request): IndicatorState {
  const { state } = objectBody(req);
  if (!isIndicatorState(state) || state === 'UNKNOWN') {
    throw new InvalidParameterValue(
      `Invalid indicator state ${JSON.stringify(state) ?? 'undefined'}; use ON, OFF or BLINKING.`,
    );
  }
  return state;
}
