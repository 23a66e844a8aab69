import {
  driverPropertiesMethod,
  driverVendorMethodsMethod,
  type PassthruMethodListing,
} from '@galvanic/conductor-api';
import type { DriverRegistry } from '@galvanic/driver-loader';
import { DriverNotFound } from '@galvanic/errors';
import type { RpcServer } from '@galvanic/rpc';

/** Driver-level RPC: what only code that loaded the driver can answer. */
export function registerDriverHandlers(rpc: RpcServer, drivers: DriverRegistry): void {
  const loaded = (name: string) => {
    if (!drivers.hardwareType(name)) throw new DriverNotFound(name);
    return name;
  };
  rpc.register(driverPropertiesMethod, async ({ driver }) => drivers.properties(loaded(driver)));
  rpc.register(driverVendorMethodsMethod, async ({ driver }) => {
    const listing: Record<string, PassthruMethodListing> = {};
    for (const [name, info] of drivers.driverPassthruMethods(loaded(driver))) {
      listing[name] = {
        http_methods: [...info.httpMethods],
        async: info.async,
        description: info.description,
        attach: info.attach,
      };
    }
    return listing;
  });
}
