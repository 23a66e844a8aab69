export * from './states';
export * from './verbs';
export { TRANSITIONS, edgeFor, edgesFrom, isActionable } from './table';
export type { Edge, EdgeSource, ProvisionTransition } from './table';
export { DEFAULT_TARGETS, defaultTarget, targetAfter } from './targets';
export { ProvisionActionNotUnderstood, requestTransition } from './request';
export type { ProvisionRequestOptions } from './request';
export { completionEvent, fireEvent } from './events';
export type { FireEventOptions } from './events';
export {
  STUCK_STATES_TREATED_AS_FAIL,
  failureStateOnTakeover,
  failureStateOnTimeout,
} from './takeover';
export { DELETE_ALLOWED_STATES, assertCanDelete, canDelete, deleteAllowedStates } from './deletion';
export type { DeleteOptions } from './deletion';
export * from './power';
export * from './boot-devices';
