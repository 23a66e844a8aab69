import type { Request } from 'express';
import type { NodeRow } from '@galvanic/db';
import {
  BadRequest,
  InvalidParameterValue,
  InvalidStateRequested,
  NotAcceptable,
} from '@galvanic/errors';

function objectBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequest('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function requireVersion(req: Request, minor: number, what: string): void {
  if (req.apiVersion.minor < minor) {
    throw new NotAcceptable(
      `Request not acceptable. ${what} needs API version 1.${minor} or later.`,
    );
  }
}

/** Power targets of `PUT .../states/power`, with the microversion that allows each. */
const POWER_TARGETS: Readonly<Record<string, number>> = {
  'power on': 1,
  'power off': 1,
  rebooting: 1,
  'soft power off': 27,
  'soft rebooting': 27,
};

export function checkPowerRequest(
  req: Request,
  node: NodeRow,
): { target: string; timeout?: number } {
  const body = objectBody(req);
  const target = body.target;
  if (
    typeof target !== 'string' ||
    !(target in POWER_TARGETS) ||
    req.apiVersion.minor < POWER_TARGETS[target]!
  ) {
    throw new InvalidStateRequested(String(target), node.uuid, node.power_state ?? 'None');
  }
  if (body.timeout === undefined || body.timeout === null) return { target };
  requireVersion(req, 27, 'A power timeout');
  if (!Number.isInteger(body.timeout) || (body.timeout as number) < 1) {
    throw new InvalidParameterValue(
      `Invalid timeout value ${JSON.stringify(body.timeout)}, it must be a positive integer.`,
    );
  }
  return { target, timeout: body.timeout as number };
}

/** Provisioning verbs, with the microversion that allows each. */
const PROVISION_VERBS: Readonly<Record<string, number>> = {
  active: 1,
  deleted: 1,
  rebuild: 1,
  manage: 4,
  provide: 4,
  inspect: 6,
  abort: 13,
  clean: 15,
  adopt: 17,
  rescue: 38,
  unrescue: 38,
  undeploy: 1,
};

export interface ProvisionRequest {
  target: string;
  configdrive?: unknown;
  clean_steps?: Record<string, unknown>[];
  deploy_steps?: Record<string, unknown>[];
  disable_ramdisk?: boolean;
}

export function checkProvisionRequest(req: Request, node: NodeRow): ProvisionRequest {
  const body = objectBody(req);
  const target = body.target;
  if (
    typeof target !== 'string' ||
    !(target in PROVISION_VERBS) ||
    req.apiVersion.minor < PROVISION_VERBS[target]!
  ) {
    throw new InvalidStateRequested(String(target), node.uuid, node.provision_state);
  }
  const request: ProvisionRequest = { target: target === 'undeploy' ? 'deleted' : target };
  if (body.configdrive !== undefined) {
    if (target !== 'active' && target !== 'rebuild') {
      throw new InvalidParameterValue(
        'Adding a config drive is only supported when setting provision state to active or rebuild',
      );
    }
    request.configdrive = body.configdrive;
  }
  if (body.clean_steps !== undefined) {
    if (target !== 'clean')
      throw new InvalidParameterValue(
        '"clean_steps" is only valid when setting target provision state to clean',
      );
    if (!Array.isArray(body.clean_steps))
      throw new InvalidParameterValue('"clean_steps" must be a list of steps');
    request.clean_steps = body.clean_steps as Record<string, unknown>[];
  } else if (target === 'clean') {
    throw new InvalidParameterValue(
      '"clean_steps" is required when setting target provision state to clean',
    );
  }
  if (body.deploy_steps !== undefined) {
    if (!Array.isArray(body.deploy_steps))
      throw new InvalidParameterValue('"deploy_steps" must be a list of steps');
    request.deploy_steps = body.deploy_steps as Record<string, unknown>[];
  }
  if (typeof body.disable_ramdisk === 'boolean') request.disable_ramdisk = body.disable_ramdisk;
  return request;
}

export function checkBootDeviceRequest(req: Request): { boot_device: string; persistent: boolean } {
  const body = objectBody(req);
  if (typeof body.boot_device !== 'string')
    throw new InvalidParameterValue('"boot_device" is a required string');
  const persistent = body.persistent ?? false;
  if (typeof persistent !== 'boolean')
    throw new InvalidParameterValue('"persistent" must be true or false');
  return { boot_device: body.boot_device, persistent };
}
