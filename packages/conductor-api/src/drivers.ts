import { z } from 'zod';
import { defineRpcMethod } from '@galvanic/rpc';

export const driverArgs = z.strictObject({ driver: z.string() });
export type DriverArgs = z.infer<typeof driverArgs>;

/** The HTTP methods a vendor passthru method may take. */
export const PASSTHRU_HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** A passthru method as the API lists it (Ironic's field names). */
export const passthruMethodListing = z.object({
  http_methods: z.array(z.enum(PASSTHRU_HTTP_METHODS)),
  async: z.boolean(),
  description: z.string(),
  attach: z.boolean(),
  require_exclusive_lock: z.boolean().optional(),
});
export type PassthruMethodListing = z.infer<typeof passthruMethodListing>;

/** `driver_info` properties of a hardware type: name → description. */
export const driverPropertiesMethod = defineRpcMethod(
  'driver_properties',
  driverArgs,
  z.record(z.string(), z.string()),
);

/** Driver-level vendor passthru methods of a hardware type. */
export const driverVendorMethodsMethod = defineRpcMethod(
  'driver_vendor_passthru_methods',
  driverArgs,
  z.record(z.string(), passthruMethodListing),
);
