export { ConductorMembership } from './membership';
export { ConductorDirectory, type DriverInterfaces } from './directory';
