export { startConductor, type ConductorDependencies, type RunningConductor } from './service';
export { loadConductorDrivers, driverSearchPaths } from './drivers';
