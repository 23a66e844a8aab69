/**
 * A Chassis's Power and Thermal readings (what Ironic's sensor data collection reads). Readings
 * follow the System's power state: a host that is off draws standby power and runs cool.
 */
import type { Router } from '../http/router';
import type { EmulatedSystem, EmulatorModel } from '../model';
import { CHASSIS_PATH } from '../model';
import { STATUS_OK, lookup, resourceReply } from './common';

function running(system: EmulatedSystem): boolean {
  const power = system.backend.powerState();
  return power === 'On' || power === 'PoweringOff';
}

function thermalResource(system: EmulatedSystem): object {
  const path = `${system.chassisPath}/Thermal`;
  const on = running(system);
  const cpuTemperatures = system.backend.inventory.processors.map((cpu, i) => ({
    '@odata.id': `${path}#/Temperatures/${i}`,
    MemberId: String(i),
    Name: `${cpu.id} Temp`,
    SensorNumber: i + 1,
    ReadingCelsius: on ? 52 + i * 3 : 24,
    MinReadingRangeTemp: 0,
    MaxReadingRangeTemp: 120,
    UpperThresholdNonCritical: 85,
    UpperThresholdCritical: 95,
    PhysicalContext: 'CPU',
    Status: STATUS_OK,
  }));
  const inlet = {
    '@odata.id': `${path}#/Temperatures/${cpuTemperatures.length}`,
    MemberId: String(cpuTemperatures.length),
    Name: 'Inlet Temp',
    SensorNumber: cpuTemperatures.length + 1,
    ReadingCelsius: 22,
    MinReadingRangeTemp: -10,
    MaxReadingRangeTemp: 60,
    UpperThresholdCritical: 42,
    PhysicalContext: 'Intake',
    Status: STATUS_OK,
  };
  return {
    '@odata.id': path,
    '@odata.type': '#Thermal.v1_7_1.Thermal',
    Id: 'Thermal',
    Name: 'Thermal',
    Temperatures: [...cpuTemperatures, inlet],
    Fans: [0, 1].map((i) => ({
      '@odata.id': `${path}#/Fans/${i}`,
      MemberId: String(i),
      Name: `Fan ${i + 1}`,
      PhysicalContext: 'SystemBoard',
      Reading: on ? 6200 + i * 150 : 0,
      ReadingUnits: 'RPM',
      MinReadingRange: 0,
      MaxReadingRange: 16000,
      SerialNumber: `${system.backend.inventory.serialNumber}-F${i + 1}`,
      Status: STATUS_OK,
    })),
  };
}

function powerResource(system: EmulatedSystem): object {
  const path = `${system.chassisPath}/Power`;
  const on = running(system);
  const consumed = on ? 280 : 12;
  return {
    '@odata.id': path,
    '@odata.type': '#Power.v1_7_1.Power',
    Id: 'Power',
    Name: 'Power',
    PowerControl: [
      {
        '@odata.id': `${path}#/PowerControl/0`,
        MemberId: '0',
        Name: 'System Power Control',
        PowerConsumedWatts: consumed,
        PowerCapacityWatts: 1600,
        Status: STATUS_OK,
      },
    ],
    PowerSupplies: [0, 1].map((i) => ({
      '@odata.id': `${path}#/PowerSupplies/${i}`,
      MemberId: String(i),
      Name: `PSU ${i + 1}`,
      PowerSupplyType: 'AC',
      LineInputVoltage: 230,
      PowerCapacityWatts: 800,
      LastPowerOutputWatts: consumed / 2,
      SerialNumber: `${system.backend.inventory.serialNumber}-P${i + 1}`,
      Status: STATUS_OK,
    })),
  };
}

export function registerEnvironmentRoutes(router: Router, model: EmulatorModel): void {
  router.on('GET', `${CHASSIS_PATH}/{chassis}/Thermal`, (ctx, params) =>
    resourceReply(thermalResource(lookup(model.systemsById, params.chassis as string, ctx))),
  );
  router.on('GET', `${CHASSIS_PATH}/{chassis}/Power`, (ctx, params) =>
    resourceReply(powerResource(lookup(model.systemsById, params.chassis as string, ctx))),
  );
}
