import Joi from 'joi';
import { defineRpcMethod } from '@galvanic/rpc';

export interface DriverArgs {
  driver: string;
}

/** A passthru method as the API lists it (Ironic's field names). */
export interface PassthruMethodListing {
  http_methods: string[];
  async: boolean;
  description: string;
  attach: boolean;
  require_exclusive_lock?: boolean;
}

const driverArgs = Joi.object<DriverArgs>({ driver: Joi.string().required() });

/** `driver_info` properties of a hardware type: name → description. */
export const driverPropertiesMethod = defineRpcMethod<DriverArgs, Record<string, string>>(
  'driver_properties',
  driverArgs,
  Joi.object().pattern(Joi.string(), Joi.string().allow('')),
);

const listing = Joi.object<PassthruMethodListing>({
  http_methods: Joi.array().items(Joi.string()).required(),
  async: Joi.boolean().required(),
  description: Joi.string().allow('').required(),
  attach: Joi.boolean().required(),
  require_exclusive_lock: Joi.boolean(),
});

/** Driver-level vendor passthru methods of a hardware type. */
export const driverVendorMethodsMethod = defineRpcMethod<
  DriverArgs,
  Record<string, PassthruMethodListing>
>('driver_vendor_passthru_methods', driverArgs, Joi.object().pattern(Joi.string(), listing));
