export { ConductorMembership } from './membership';
export { ConductorDirectory } from './directory';
