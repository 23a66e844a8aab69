import {
  InvalidParameterValue,
  MissingParameterValue,
  VendorInterface,
  driverPassthru,
  passthru,
  type HttpMethod,
  type PropertyTable,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { AcmeClient } from './client';
import { connect } from './connect';
import { ACME_PROPERTIES, parseDriverInfo } from './driver-info';
import { acmeOptions } from './options';

const MAX_BLINK_SECONDS = 300;

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

/** Acme extras: blink a chassis' identify LED; list the chassis a controller manages. */
export class AcmeVendor extends VendorInterface {
  static override readonly optionGroups = [acmeOptions];

  override getProperties(): PropertyTable {
    return ACME_PROPERTIES;
  }

  validate(task: TaskContext): void {
    parseDriverInfo(task.node);
  }

  override validateCall(_task: TaskContext | undefined, method: string, body: unknown): void {
    if (method === 'blink_led') {
      const seconds = field(body, 'seconds');
      if (seconds === undefined) {
        throw new MissingParameterValue("Parameter 'seconds' not passed to method 'blink_led'.");
      }
      if (
        typeof seconds !== 'number' ||
        !Number.isInteger(seconds) ||
        seconds < 1 ||
        seconds > MAX_BLINK_SECONDS
      ) {
        throw new InvalidParameterValue(
          `Parameter 'seconds' must be an integer from 1 to ${MAX_BLINK_SECONDS}, got ${JSON.stringify(seconds)}.`,
        );
      }
    }
    if (method === 'list_chassis' && typeof field(body, 'acme_address') !== 'string') {
      throw new MissingParameterValue(
        "Parameter 'acme_address' not passed to method 'list_chassis'.",
      );
    }
  }

  @passthru({
    httpMethods: ['POST'],
    async: false,
    requireExclusiveLock: false,
    description: 'Blink the chassis identify LED for "seconds" (1 to 300), to find it in the rack',
  })
  async blink_led(
    task: TaskContext,
    body: unknown,
    _httpMethod: HttpMethod,
  ): Promise<{ blinking_until: string }> {
    const { client, chassisId } = connect(this.env, task);
    return client.blinkLed(chassisId, field(body, 'seconds') as number);
  }

  @driverPassthru({
    httpMethods: ['POST'],
    async: false,
    description:
      'List the chassis an Acme controller manages, to enroll them: {"acme_address", "acme_password"?}',
  })
  async list_chassis(body: unknown, _httpMethod: HttpMethod): Promise<{ chassis: string[] }> {
    const address = field(body, 'acme_address');
    const password = field(body, 'acme_password');
    if (typeof address !== 'string' || !URL.canParse(address)) {
      throw new InvalidParameterValue(`acme_address must be a URL, got ${JSON.stringify(address)}`);
    }
    const client = new AcmeClient({
      address: new URL(address),
      password: typeof password === 'string' ? password : undefined,
      timeout: this.env.config.get(acmeOptions).request_timeout,
    });
    return client.listChassis();
  }
}
