import { driverPropertiesMethod, driverVendorMethodsMethod } from '@galvanic/conductor-api';
import type { DriverRegistry } from '@galvanic/driver-loader';
import { DriverNotFound } from '@galvanic/errors';
import type { RpcServer } from '@galvanic/rpc';
import { driverVendorMethods } from '../workflows/vendor-passthru';

/** Driver-level RPC: what only code that loaded the driver can answer. */
export function registerDriverHandlers(rpc: RpcServer, drivers: DriverRegistry): void {
  rpc.register(driverPropertiesMethod, async ({ driver }) => {
    if (!drivers.hardwareType(driver)) throw new DriverNotFound(driver);
    return drivers.properties(driver);
  });
  rpc.register(driverVendorMethodsMethod, async ({ driver }) =>
    driverVendorMethods(drivers, driver),
  );
}
