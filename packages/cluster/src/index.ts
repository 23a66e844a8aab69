export { ConductorMembership } from './membership';
export { ConductorDirectory, type DriverInterfaces } from './directory';
export { NodeOwnerCalls, type RoutedNode } from './node-calls';
