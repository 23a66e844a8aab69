export { startConductor, type ConductorDependencies, type RunningConductor } from './service';
