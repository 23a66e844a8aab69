import { GalvanicError } from '@galvanic/driver-sdk';

/** Ironic's RedfishError: the BMC refused or failed an operation. */
export class RedfishFailure extends GalvanicError {
  readonly status = 500;
  readonly kind = 'RedfishError';

  constructor(detail: string) {
    super(`Redfish exception occurred. Error: ${detail}`);
    this.name = 'RedfishError';
  }
}

/** Ironic's RedfishConnectionError: the BMC could not be reached (refused, TLS, timeout). */
export class RedfishConnectionFailure extends GalvanicError {
  readonly status = 500;
  readonly kind = 'RedfishConnectionError';

  constructor(
    nodeUuid: string,
    detail: string,
    /** Whether the BMC may have received (and acted on) the request before the connection failed. */
    readonly requestMayHaveBeenSent = false,
  ) {
    super(`Redfish connection failed for node ${nodeUuid}: ${detail}`);
    this.name = 'RedfishConnectionError';
  }
}

/** The System did not report the requested power state in time. */
export class PowerStateFailure extends GalvanicError {
  readonly status = 500;
  readonly kind = 'PowerStateFailure';

  constructor(state: string, detail: string) {
    super(`Failed to set node power state to ${state}: ${detail}`);
    this.name = 'PowerStateFailure';
  }
}
