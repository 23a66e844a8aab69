/** Chassis: one per System, holding it and managed by its Manager. */
import type { Router } from '../http/router';
import type { EmulatedSystem, EmulatorModel } from '../model';
import { CHASSIS_PATH } from '../model';
import { STATUS_OK, collectionReply, lookup, ref, resourceReply } from './common';

function chassisResource(system: EmulatedSystem): object {
  const inventory = system.backend.inventory;
  const led = system.backend.indicatorLed();
  const power = system.backend.powerState();
  return {
    '@odata.id': system.chassisPath,
    '@odata.type': '#Chassis.v1_23_0.Chassis',
    Id: system.id,
    Name: `Chassis of ${inventory.name}`,
    ChassisType: 'RackMount',
    Manufacturer: inventory.manufacturer,
    Model: inventory.model,
    SKU: inventory.sku,
    SerialNumber: inventory.serialNumber,
    PartNumber: `${inventory.sku}-CH`,
    PowerState: power === 'Paused' ? 'On' : power,
    IndicatorLED: led,
    LocationIndicatorActive: led !== 'Off',
    UUID: inventory.uuid,
    Status: STATUS_OK,
    Power: ref(`${system.chassisPath}/Power`),
    Thermal: ref(`${system.chassisPath}/Thermal`),
    Links: {
      ComputerSystems: [ref(system.path)],
      ManagedBy: [ref(system.manager.path)],
    },
  };
}

export function registerChassisRoutes(router: Router, model: EmulatorModel): void {
  router.on('GET', CHASSIS_PATH, (ctx) =>
    collectionReply(
      ctx,
      {
        path: CHASSIS_PATH,
        type: 'ChassisCollection',
        name: 'Chassis Collection',
        members: model.systems.map((system) => system.chassisPath),
      },
      model.settings.pageSize,
    ),
  );

  router.on('GET', `${CHASSIS_PATH}/{chassis}`, (ctx, params) =>
    resourceReply(chassisResource(lookup(model.systemsById, params.chassis as string, ctx)), 'GET'),
  );
}
