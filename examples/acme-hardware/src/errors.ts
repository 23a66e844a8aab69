import { GalvanicError } from '@galvanic/driver-sdk';

/** The controller could not be reached, refused a request, or did not finish an action in time. */
export class AcmeControllerError extends GalvanicError {
  readonly status = 500;
  readonly kind = 'AcmeControllerError';

  constructor(message: string) {
    super(`Acme controller call failed: ${message}`);
    this.name = 'AcmeControllerError';
  }
}
