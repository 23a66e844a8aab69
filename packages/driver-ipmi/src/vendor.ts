import { closeSharedIpmiClient } from './client';
import {
  InvalidParameterValue,
  MissingParameterValue,
  VendorInterface,
  passthru,
  type HttpMethod,
  type PropertyTable,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { ipmiCall } from './call';
import { connect, driverInfoOf } from './connect';
import { IPMIFailure } from './errors';
import { ipmiOptions } from './options';
import { IPMI_PROPERTIES } from './properties';
import { hexBytes, parseRawBytes } from './raw-bytes';
import { asBoolean } from './values';

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

function required(body: unknown, name: string, method: string): unknown {
  const value = field(body, name);
  if (value === undefined || value === null || value === '') {
    throw new MissingParameterValue(`Parameter '${name}' not passed to method '${method}'.`);
  }
  return value;
}

function warmArgument(body: unknown): boolean {
  const value = required(body, 'warm', 'bmc_reset');
  const warm = asBoolean(value);
  if (warm === undefined) {
    throw new InvalidParameterValue(
      `Parameter 'warm' must be a boolean (true for a warm reset, false for a cold reset), got ${JSON.stringify(value)}.`,
    );
  }
  return warm;
}

export interface SendRawResult {
  completion_code: number;
  response: string;
}

/** Ironic's ipmitool vendor methods: send_raw and bmc_reset. No driver-level methods. */
export class IpmiVendor extends VendorInterface {
  /** Ends the conductor's BMC sessions when it stops (shared by all ipmi interfaces). */
  override async close(): Promise<void> {
    await closeSharedIpmiClient();
  }

  static override readonly optionGroups = [ipmiOptions];

  override getProperties(): PropertyTable {
    return IPMI_PROPERTIES;
  }

  validate(task: TaskContext): void {
    driverInfoOf(this.env, task);
  }

  override validateCall(task: TaskContext | undefined, method: string, body: unknown): void {
    if (method === 'send_raw') parseRawBytes(required(body, 'raw_bytes', method));
    if (method === 'bmc_reset') warmArgument(body);
    if (task) driverInfoOf(this.env, task);
  }

  @passthru({
    httpMethods: ['POST'],
    async: true,
    requireExclusiveLock: true,
    description:
      "Send raw bytes to the BMC. Required argument: 'raw_bytes' - a string of raw bytes (e.g. '0x00 0x01').",
  })
  async send_raw(
    task: TaskContext,
    body: unknown,
    _httpMethod: HttpMethod,
  ): Promise<SendRawResult> {
    const { netFn, command, data } = parseRawBytes(required(body, 'raw_bytes', 'send_raw'));
    const request = hexBytes([netFn, command, ...data]);
    const connection = connect(this.env, task);
    const { bmc } = connection;
    const answer = await ipmiCall(task, connection, `send_raw ${request}`, () =>
      bmc.raw(netFn, command, data),
    );
    const result = { completion_code: answer.completionCode, response: hexBytes(answer.data) };
    task.logger.info('send_raw answered', {
      node: task.node.uuid,
      raw_bytes: request,
      completion_code: `0x${answer.completionCode.toString(16).padStart(2, '0')}`,
      response: result.response,
    });
    if (answer.completionCode !== 0) {
      throw new IPMIFailure(
        `send_raw ${request} on node ${task.node.uuid}: the BMC answered completion code ${hexBytes([answer.completionCode])}.`,
      );
    }
    return result;
  }

  @passthru({
    httpMethods: ['POST'],
    async: true,
    requireExclusiveLock: true,
    description:
      "Reset the BMC. Required argument: 'warm' (Boolean) - for warm (True) or cold (False) reset.",
  })
  async bmc_reset(task: TaskContext, body: unknown, _httpMethod: HttpMethod): Promise<void> {
    const warm = warmArgument(body);
    const connection = connect(this.env, task);
    const { bmc } = connection;
    const kind = warm ? 'warm' : 'cold';
    await ipmiCall(task, connection, `BMC ${kind} reset`, () =>
      warm ? bmc.warmReset() : bmc.coldReset(),
    );
    task.logger.info(`BMC ${kind} reset`, { node: task.node.uuid });
  }
}
