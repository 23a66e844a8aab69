import { GalvanicError } from '@galvanic/driver-sdk';

/** An IPMI command failed: no answer, refused credentials, or an error completion code. */
export class IPMIFailure extends GalvanicError {
  readonly status = 500;
  readonly kind = 'IPMIFailure';

  constructor(message: string) {
    super(`IPMI call failed: ${message}`);
    this.name = 'IPMIFailure';
  }
}

/** The BMC did not report the requested power state in time. */
export class PowerStateFailure extends GalvanicError {
  readonly status = 500;
  readonly kind = 'PowerStateFailure';

  constructor(state: string, detail: string) {
    super(`Failed to set node power state to ${state}: ${detail}`);
    this.name = 'PowerStateFailure';
  }
}
