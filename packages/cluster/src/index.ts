export { ConductorMembership } from './membership';
export { ConductorDirectory, type DriverInterfaces } from './directory';
export { NodeOwnerCalls, RoutedCalls, type RoutedNode } from './node-calls';
