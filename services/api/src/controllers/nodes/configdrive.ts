import type { Request } from 'express';
import { InvalidParameterValue } from '@galvanic/errors';
import {
  MINOR_56_BUILD_CONFIGDRIVE,
  MINOR_59_CONFIGDRIVE_VENDOR_DATA,
} from '../../resources/versions';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Which JSON types each key of a config drive given as an object may have (Ironic's schema). */
const KEY_TYPES: Record<string, (value: unknown) => boolean> = {
  meta_data: isObject,
  network_data: isObject,
  user_data: (value) => typeof value === 'string' || typeof value === 'object',
  vendor_data: isObject,
};

/**
 * Ironic's checks of a deploy's `configdrive`: a string (an ISO, gzipped and base64'd, or its
 * URL), or from 1.56 an object of meta_data, network_data and user_data the conductor builds the
 * drive from (vendor_data from 1.59).
 */
export function checkConfigDrive(req: Request, configdrive: unknown): void {
  if (configdrive === null || typeof configdrive === 'string') return;
  const badKey = isObject(configdrive)
    ? Object.entries(configdrive).find(([key, value]) => !KEY_TYPES[key]?.(value))
    : undefined;
  if (!isObject(configdrive) || badKey) {
    throw new InvalidParameterValue(
      `Invalid configdrive format: ${JSON.stringify(badKey ? { [badKey[0]]: badKey[1] } : configdrive)} is not valid: expected a string, or an object of meta_data, network_data, user_data and vendor_data`,
    );
  }
  const { minor } = req.apiVersion;
  if (minor < MINOR_56_BUILD_CONFIGDRIVE) {
    throw new InvalidParameterValue(
      `Providing a JSON object for configdrive is only supported starting with API version 1.${MINOR_56_BUILD_CONFIGDRIVE}`,
    );
  }
  if (configdrive.vendor_data !== undefined && minor < MINOR_59_CONFIGDRIVE_VENDOR_DATA) {
    throw new InvalidParameterValue(
      `Providing vendor_data in configdrive is only supported starting with API version 1.${MINOR_59_CONFIGDRIVE_VENDOR_DATA}`,
    );
  }
}
