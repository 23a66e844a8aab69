/**
 * Redfish actions and settings: system reset, boot source override, virtual media, BIOS.
 *
 * Actions are POSTs and are never resent once the BMC may have received them (a Reset repeated
 * blindly reboots twice); see the README for the retry policy.
 */
import type { Connection, RedfishResponse } from './connection';
import { RedfishUnsupportedError } from './errors';
import { getMembers, getResource, patchResource } from './navigation';
import { linkOf } from './resources';
import type {
  ActionTarget,
  Bios,
  BiosAttributeValue,
  BootSourceOverrideEnabled,
  BootSourceOverrideMode,
  BootSourceOverrideTarget,
  ComputerSystem,
  Manager,
  RedfishResource,
  ResetType,
  Task,
  VirtualMedia,
} from './resources';
import { waitForTask } from './tasks';
import type { TaskWaitOptions } from './tasks';

export interface ActionResult {
  readonly status: number;
  /** The action's answer, or the task monitor's final answer for long-running ones. */
  readonly body: unknown;
  /** The Task resource, when the operation ran as a task that reported one. */
  readonly task: Task | undefined;
}

export interface ActionOptions {
  /**
   * Allow resending after the BMC may have received the request (connection dropped, 5xx).
   * Only for actions whose repetition is harmless. Default false.
   */
  readonly idempotent?: boolean;
}

/** Turns an answer into a result, following its task monitor when it is a 202. */
async function settle(
  conn: Connection,
  response: RedfishResponse,
  tasks: TaskWaitOptions,
): Promise<ActionResult> {
  if (response.status === 202) return waitForTask(conn, response, tasks);
  return { status: response.status, body: response.body, task: undefined };
}

/** POSTs an action's parameters to its target and waits for it to finish. */
export async function performAction(
  conn: Connection,
  target: string,
  parameters: Record<string, unknown>,
  tasks: TaskWaitOptions,
  options: ActionOptions = {},
): Promise<ActionResult> {
  const response = await conn.request('POST', target, {
    body: parameters,
    idempotent: options.idempotent ?? false,
  });
  return settle(conn, response, tasks);
}

function actionOf(
  resource: RedfishResource,
  name: string,
  path: string,
  target: string,
): ActionTarget {
  const actions = resource.Actions as Record<string, unknown> | undefined;
  const action = actions?.[name] as Partial<ActionTarget> | undefined;
  if (!action || typeof action.target !== 'string') {
    throw new RedfishUnsupportedError(`${path} offers no ${name} action`, { target, path });
  }
  return action as ActionTarget;
}

/**
 * Allowable values of an action parameter: the `@Redfish.AllowableValues` annotation, else the
 * action's ActionInfo resource; undefined when the BMC states none.
 */
async function allowableValues(
  conn: Connection,
  action: ActionTarget,
  parameter: string,
): Promise<readonly string[] | undefined> {
  const annotated = action[`${parameter}@Redfish.AllowableValues`];
  if (Array.isArray(annotated)) return annotated.filter((v): v is string => typeof v === 'string');
  const infoPath = action['@Redfish.ActionInfo'];
  if (typeof infoPath !== 'string') return undefined;
  const info = await getResource<RedfishResource & { Parameters?: unknown }>(conn, infoPath);
  const params = Array.isArray(info.Parameters) ? info.Parameters : [];
  const param = params.find(
    (p): p is { Name: string; AllowableValues?: unknown } =>
      typeof p === 'object' && p !== null && (p as { Name?: unknown }).Name === parameter,
  );
  return Array.isArray(param?.AllowableValues)
    ? param.AllowableValues.filter((v): v is string => typeof v === 'string')
    : undefined;
}

/** `#ComputerSystem.Reset`, refusing a ResetType the BMC does not list as allowed. */
export async function resetSystem(
  conn: Connection,
  systemPath: string,
  resetType: ResetType,
  tasks: TaskWaitOptions,
): Promise<ActionResult> {
  const system = await getResource<ComputerSystem>(conn, systemPath);
  const action = actionOf(system, '#ComputerSystem.Reset', systemPath, conn.target);
  const allowed = await allowableValues(conn, action, 'ResetType');
  if (allowed && !allowed.includes(resetType)) {
    throw new RedfishUnsupportedError(
      `ResetType ${resetType} is not allowed (allowed: ${allowed.join(', ')})`,
      { target: conn.target, path: systemPath },
    );
  }
  return performAction(conn, action.target, { ResetType: resetType }, tasks);
}

export interface BootOverride {
  readonly target: BootSourceOverrideTarget;
  /** Default `Once`. */
  readonly enabled?: BootSourceOverrideEnabled;
  /** Left as it is when omitted. */
  readonly mode?: BootSourceOverrideMode;
}

/** Sets the boot source override with a PATCH of the system's `Boot`, guarded by its ETag. */
export async function setBootOverride(
  conn: Connection,
  systemPath: string,
  override: BootOverride,
  tasks: TaskWaitOptions,
): Promise<ActionResult> {
  const system = await getResource<ComputerSystem>(conn, systemPath);
  const boot = system.Boot ?? {};
  const enabled = override.enabled ?? 'Once';
  const checks: Array<[string, string, readonly string[] | undefined]> = [
    [
      'BootSourceOverrideTarget',
      override.target,
      boot['BootSourceOverrideTarget@Redfish.AllowableValues'],
    ],
    [
      'BootSourceOverrideEnabled',
      enabled,
      boot['BootSourceOverrideEnabled@Redfish.AllowableValues'],
    ],
  ];
  if (override.mode) {
    checks.push([
      'BootSourceOverrideMode',
      override.mode,
      boot['BootSourceOverrideMode@Redfish.AllowableValues'],
    ]);
  }
  for (const [property, value, allowed] of checks) {
    if (Array.isArray(allowed) && !allowed.includes(value)) {
      throw new RedfishUnsupportedError(
        `${property} ${value} is not allowed (allowed: ${allowed.join(', ')})`,
        { target: conn.target, path: systemPath },
      );
    }
  }
  const changes: Record<string, string> = {
    BootSourceOverrideTarget: override.target,
    BootSourceOverrideEnabled: enabled,
  };
  if (override.mode) changes.BootSourceOverrideMode = override.mode;

  // Some BMCs apply boot settings through the system's own settings object: properties its Boot
  // carries go there, the rest to the system itself (as sushy does).
  const settingsPath = linkOf(system['@Redfish.Settings']?.SettingsObject);
  const pending = settingsPath ? await getResource<ComputerSystem>(conn, settingsPath) : undefined;
  const viaSettings: Record<string, string> = {};
  const direct: Record<string, string> = {};
  for (const [property, value] of Object.entries(changes)) {
    if (pending?.Boot && property in pending.Boot) viaSettings[property] = value;
    else direct[property] = value;
  }
  let response: RedfishResponse | undefined;
  if (settingsPath && pending && Object.keys(viaSettings).length > 0) {
    response = await patchResource(
      conn,
      settingsPath,
      { Boot: viaSettings },
      { etag: pending['@odata.etag'] ?? false },
    );
  }
  if (Object.keys(direct).length > 0) {
    response = await patchResource(
      conn,
      systemPath,
      { Boot: direct },
      { etag: system['@odata.etag'] ?? false },
    );
  }
  // `changes` always holds the target and enabled, so at least one of the PATCHes ran.
  return settle(conn, response as RedfishResponse, tasks);
}

/**
 * Virtual media devices of a system: the system's own VirtualMedia collection (newer BMCs) and
 * those of the managers that manage it (older ones).
 */
export async function listVirtualMedia(
  conn: Connection,
  systemPath: string,
): Promise<VirtualMedia[]> {
  const system = await getResource<ComputerSystem>(conn, systemPath);
  const collections: string[] = [];
  const own = linkOf(system.VirtualMedia);
  if (own) collections.push(own);
  // Links.Managers is what some older BMCs name ManagedBy.
  const managers = system.Links?.ManagedBy ?? system.Links?.Managers ?? [];
  for (const managerRef of managers) {
    const managerPath = linkOf(managerRef);
    if (!managerPath) continue;
    const manager = await getResource<Manager>(conn, managerPath);
    const link = linkOf(manager.VirtualMedia);
    if (link && !collections.includes(link)) collections.push(link);
  }
  const devices: VirtualMedia[] = [];
  for (const collection of collections)
    devices.push(...(await getMembers<VirtualMedia>(conn, collection)));
  return devices;
}

export interface InsertMediaOptions {
  readonly image: string;
  /** Default true. */
  readonly inserted?: boolean;
  /** Default true. */
  readonly writeProtected?: boolean;
  readonly transferMethod?: 'Stream' | 'Upload';
  readonly transferProtocolType?: string;
  /** Credentials for the image server; kept out of errors and logs like the BMC's. */
  readonly userName?: string;
  readonly password?: string;
}

/**
 * `#VirtualMedia.InsertMedia`; for BMCs without the action, a PATCH of `Image` and `Inserted`
 * (the pre-1.1 VirtualMedia way).
 */
export async function insertMedia(
  conn: Connection,
  virtualMediaPath: string,
  options: InsertMediaOptions,
  tasks: TaskWaitOptions,
): Promise<ActionResult> {
  conn.redactor.add(options.password);
  const media = await getResource<VirtualMedia>(conn, virtualMediaPath);
  const action = media.Actions?.['#VirtualMedia.InsertMedia'];
  const parameters: Record<string, unknown> = {
    Image: options.image,
    Inserted: options.inserted ?? true,
    WriteProtected: options.writeProtected ?? true,
  };
  if (typeof action?.target === 'string') {
    if (options.transferMethod) parameters.TransferMethod = options.transferMethod;
    if (options.transferProtocolType)
      parameters.TransferProtocolType = options.transferProtocolType;
    if (options.userName !== undefined) parameters.UserName = options.userName;
    if (options.password !== undefined) parameters.Password = options.password;
    return performAction(conn, action.target, parameters, tasks);
  }
  const response = await patchResource(conn, virtualMediaPath, parameters, {
    etag: media['@odata.etag'] ?? false,
  });
  return settle(conn, response, tasks);
}

/** `#VirtualMedia.EjectMedia`; for BMCs without the action, a PATCH clearing the image. */
export async function ejectMedia(
  conn: Connection,
  virtualMediaPath: string,
  tasks: TaskWaitOptions,
): Promise<ActionResult> {
  const media = await getResource<VirtualMedia>(conn, virtualMediaPath);
  const action = media.Actions?.['#VirtualMedia.EjectMedia'];
  if (typeof action?.target === 'string') return performAction(conn, action.target, {}, tasks);
  const response = await patchResource(
    conn,
    virtualMediaPath,
    { Image: null, Inserted: false },
    { etag: media['@odata.etag'] ?? false },
  );
  return settle(conn, response, tasks);
}

async function biosOf(conn: Connection, systemPath: string): Promise<{ path: string; bios: Bios }> {
  const system = await getResource<ComputerSystem>(conn, systemPath);
  const path = linkOf(system.Bios);
  if (!path) {
    throw new RedfishUnsupportedError(`${systemPath} has no Bios resource`, {
      target: conn.target,
      path: systemPath,
    });
  }
  return { path, bios: await getResource<Bios>(conn, path) };
}

/** The BIOS resource of a system (current attributes, settings annotation, actions). */
export async function getBios(conn: Connection, systemPath: string): Promise<Bios> {
  return (await biosOf(conn, systemPath)).bios;
}

function settingsObjectPath(bios: Bios, biosPath: string, target: string): string {
  const path = linkOf(bios['@Redfish.Settings']?.SettingsObject);
  if (!path) {
    throw new RedfishUnsupportedError(`${biosPath} has no @Redfish.Settings SettingsObject`, {
      target,
      path: biosPath,
    });
  }
  return path;
}

/** Attributes waiting in the settings object to be applied at the next boot. */
export async function getPendingBiosAttributes(
  conn: Connection,
  systemPath: string,
): Promise<Record<string, BiosAttributeValue>> {
  const { path, bios } = await biosOf(conn, systemPath);
  const settings = await getResource<Bios>(conn, settingsObjectPath(bios, path, conn.target));
  return { ...(settings.Attributes ?? {}) };
}

/** PATCHes attributes to the BIOS settings object (applied by the BMC at the next boot). */
export async function setBiosAttributes(
  conn: Connection,
  systemPath: string,
  attributes: Readonly<Record<string, BiosAttributeValue>>,
  tasks: TaskWaitOptions,
): Promise<ActionResult> {
  const { path, bios } = await biosOf(conn, systemPath);
  const settingsPath = settingsObjectPath(bios, path, conn.target);
  const response = await patchResource(conn, settingsPath, { Attributes: { ...attributes } });
  return settle(conn, response, tasks);
}

/** `#Bios.ResetBios`: BIOS attributes back to defaults (usually at the next boot). */
export async function resetBios(
  conn: Connection,
  systemPath: string,
  tasks: TaskWaitOptions,
): Promise<ActionResult> {
  const { path, bios } = await biosOf(conn, systemPath);
  const action = actionOf(bios, '#Bios.ResetBios', path, conn.target);
  return performAction(conn, action.target, {}, tasks);
}
