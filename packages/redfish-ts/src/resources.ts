/**
 * Redfish resource shapes (the properties this client reads; BMCs send many more) and
 * navigation: links, collections with `Members@odata.nextLink` paging.
 */
import { RedfishProtocolError } from './errors';
import type { RedfishMessage } from './errors';

export interface ODataRef {
  readonly '@odata.id': string;
}

export interface RedfishResource {
  readonly '@odata.id'?: string;
  readonly '@odata.type'?: string;
  /** From the body or, when the body has none, the answer's `ETag` header. */
  readonly '@odata.etag'?: string;
  readonly Id?: string;
  readonly Name?: string;
  readonly Description?: string;
  readonly [property: string]: unknown;
}

export interface ResourceCollection extends RedfishResource {
  readonly Members: readonly ODataRef[];
  readonly 'Members@odata.count'?: number;
  readonly 'Members@odata.nextLink'?: string;
}

export interface Status {
  readonly State?: string;
  readonly Health?: string;
  readonly HealthRollup?: string;
}

export interface ServiceRoot extends RedfishResource {
  readonly RedfishVersion?: string;
  readonly UUID?: string;
  readonly Vendor?: string;
  readonly Product?: string;
  readonly Systems?: ODataRef;
  readonly Chassis?: ODataRef;
  readonly Managers?: ODataRef;
  readonly SessionService?: ODataRef;
  readonly EventService?: ODataRef;
  readonly Tasks?: ODataRef;
  readonly Links?: { readonly Sessions?: ODataRef };
}

export interface ActionTarget {
  readonly target: string;
  readonly '@Redfish.ActionInfo'?: string;
  readonly [annotation: string]: unknown;
}

export type ResetType =
  | 'On'
  | 'ForceOff'
  | 'GracefulShutdown'
  | 'GracefulRestart'
  | 'ForceRestart'
  | 'Nmi'
  | 'ForceOn'
  | 'PushPowerButton'
  | 'PowerCycle'
  | 'Suspend'
  | 'Pause'
  | 'Resume'
  | 'FullPowerCycle';

export type BootSourceOverrideEnabled = 'Disabled' | 'Once' | 'Continuous';
export type BootSourceOverrideMode = 'UEFI' | 'Legacy';
export type BootSourceOverrideTarget =
  | 'None'
  | 'Pxe'
  | 'Floppy'
  | 'Cd'
  | 'Usb'
  | 'Hdd'
  | 'BiosSetup'
  | 'Utilities'
  | 'Diags'
  | 'UefiShell'
  | 'UefiTarget'
  | 'SDCard'
  | 'UefiHttp'
  | 'RemoteDrive'
  | 'UefiBootNext'
  | 'Recovery';

export interface BootSettings {
  readonly BootSourceOverrideEnabled?: BootSourceOverrideEnabled;
  readonly BootSourceOverrideTarget?: BootSourceOverrideTarget;
  readonly BootSourceOverrideMode?: BootSourceOverrideMode;
  readonly 'BootSourceOverrideEnabled@Redfish.AllowableValues'?: readonly string[];
  readonly 'BootSourceOverrideTarget@Redfish.AllowableValues'?: readonly string[];
  readonly 'BootSourceOverrideMode@Redfish.AllowableValues'?: readonly string[];
  readonly UefiTargetBootSourceOverride?: string;
}

export interface ProcessorSummary {
  readonly Count?: number;
  readonly CoreCount?: number;
  readonly LogicalProcessorCount?: number;
  readonly Model?: string;
  readonly Status?: Status;
}

export interface MemorySummary {
  readonly TotalSystemMemoryGiB?: number;
  readonly Status?: Status;
}

export interface ComputerSystem extends RedfishResource {
  readonly PowerState?: string;
  readonly UUID?: string;
  readonly Manufacturer?: string;
  readonly Model?: string;
  readonly SerialNumber?: string;
  readonly SKU?: string;
  readonly BiosVersion?: string;
  readonly Status?: Status;
  readonly Boot?: BootSettings;
  /** Deprecated in Redfish 2020.4 for LocationIndicatorActive; still what most BMCs have. */
  readonly IndicatorLED?: string;
  readonly LocationIndicatorActive?: boolean;
  readonly ProcessorSummary?: ProcessorSummary;
  readonly MemorySummary?: MemorySummary;
  readonly Bios?: ODataRef;
  readonly Processors?: ODataRef;
  readonly Memory?: ODataRef;
  readonly EthernetInterfaces?: ODataRef;
  readonly SimpleStorage?: ODataRef;
  readonly Storage?: ODataRef;
  readonly VirtualMedia?: ODataRef;
  readonly '@Redfish.Settings'?: SettingsAnnotation;
  readonly Links?: {
    readonly Chassis?: readonly ODataRef[];
    readonly ManagedBy?: readonly ODataRef[];
    readonly Managers?: readonly ODataRef[];
  };
  readonly Actions?: {
    readonly '#ComputerSystem.Reset'?: ActionTarget & {
      readonly 'ResetType@Redfish.AllowableValues'?: readonly string[];
    };
  };
}

export interface Manager extends RedfishResource {
  readonly ManagerType?: string;
  readonly Model?: string;
  readonly FirmwareVersion?: string;
  readonly Status?: Status;
  readonly VirtualMedia?: ODataRef;
  readonly EthernetInterfaces?: ODataRef;
  readonly Links?: { readonly ManagerForServers?: readonly ODataRef[] };
}

export interface Chassis extends RedfishResource {
  readonly ChassisType?: string;
  readonly Manufacturer?: string;
  readonly Model?: string;
  readonly SerialNumber?: string;
  readonly Status?: Status;
}

export interface Processor extends RedfishResource {
  readonly ProcessorType?: string;
  readonly ProcessorArchitecture?: string;
  readonly InstructionSet?: string;
  readonly Manufacturer?: string;
  readonly Model?: string;
  readonly MaxSpeedMHz?: number;
  readonly TotalCores?: number;
  readonly TotalThreads?: number;
  readonly Status?: Status;
}

export interface EthernetInterface extends RedfishResource {
  readonly MACAddress?: string;
  readonly PermanentMACAddress?: string;
  readonly SpeedMbps?: number;
  readonly LinkStatus?: string;
  readonly Status?: Status;
}

export interface SimpleStorage extends RedfishResource {
  readonly Devices?: ReadonlyArray<{
    readonly Name?: string;
    readonly Manufacturer?: string;
    readonly Model?: string;
    readonly CapacityBytes?: number;
    readonly Status?: Status;
  }>;
}

export interface Storage extends RedfishResource {
  readonly Drives?: readonly ODataRef[];
}

export interface Drive extends RedfishResource {
  readonly CapacityBytes?: number;
  readonly MediaType?: string;
  readonly Protocol?: string;
  readonly Manufacturer?: string;
  readonly Model?: string;
  readonly SerialNumber?: string;
  readonly Status?: Status;
}

export interface SettingsAnnotation {
  readonly SettingsObject?: ODataRef;
  readonly ETag?: string;
  readonly Time?: string;
  readonly Messages?: readonly RedfishMessage[];
}

export type BiosAttributeValue = string | number | boolean | null;

export interface Bios extends RedfishResource {
  readonly AttributeRegistry?: string;
  readonly Attributes?: Readonly<Record<string, BiosAttributeValue>>;
  readonly '@Redfish.Settings'?: SettingsAnnotation;
  readonly Actions?: {
    readonly '#Bios.ResetBios'?: ActionTarget;
    readonly '#Bios.ChangePassword'?: ActionTarget;
  };
}

export interface VirtualMedia extends RedfishResource {
  readonly MediaTypes?: readonly string[];
  readonly Image?: string | null;
  readonly ImageName?: string | null;
  readonly Inserted?: boolean;
  readonly WriteProtected?: boolean;
  readonly ConnectedVia?: string;
  readonly Actions?: {
    readonly '#VirtualMedia.InsertMedia'?: ActionTarget;
    readonly '#VirtualMedia.EjectMedia'?: ActionTarget;
  };
}

export interface EventDestination extends RedfishResource {
  readonly Destination?: string;
  readonly Protocol?: string;
  readonly Context?: string;
  readonly EventTypes?: readonly string[];
  readonly RegistryPrefixes?: readonly string[];
  readonly ResourceTypes?: readonly string[];
  readonly SubscriptionType?: string;
}

export interface EventService extends RedfishResource {
  readonly ServiceEnabled?: boolean;
  readonly Subscriptions?: ODataRef;
}

export interface SessionService extends RedfishResource {
  readonly ServiceEnabled?: boolean;
  readonly SessionTimeout?: number;
  readonly Sessions?: ODataRef;
}

export type TaskState =
  | 'New'
  | 'Starting'
  | 'Running'
  | 'Suspended'
  | 'Interrupted'
  | 'Pending'
  | 'Stopping'
  | 'Completed'
  | 'Killed'
  | 'Exception'
  | 'Service'
  | 'Cancelling'
  | 'Cancelled';

export interface Task extends RedfishResource {
  readonly TaskState?: TaskState;
  readonly TaskStatus?: string;
  readonly PercentComplete?: number;
  readonly TaskMonitor?: string;
  readonly Messages?: readonly RedfishMessage[];
}

/** The `@odata.id` of a link property, or undefined when absent or malformed. */
export function linkOf(ref: unknown): string | undefined {
  if (typeof ref !== 'object' || ref === null) return undefined;
  const id = (ref as { '@odata.id'?: unknown })['@odata.id'];
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/** Like `linkOf`, but a missing link is a protocol error naming what was expected. */
export function requireLink(ref: unknown, what: string, from: string): string {
  const link = linkOf(ref);
  if (!link) throw new RedfishProtocolError(`${from} has no ${what} link`, { path: from });
  return link;
}

/** Reads one page of a collection: its member links and the next page's link, if any. */
export function collectionPage(
  body: unknown,
  path: string,
): { members: string[]; nextLink: string | undefined } {
  const doc = body as Partial<ResourceCollection> | undefined;
  if (!doc || !Array.isArray(doc.Members)) {
    throw new RedfishProtocolError('collection has no Members array', { path });
  }
  const members = doc.Members.map((m) => linkOf(m)).filter((m): m is string => m !== undefined);
  const next = doc['Members@odata.nextLink'];
  return { members, nextLink: typeof next === 'string' && next.length > 0 ? next : undefined };
}
