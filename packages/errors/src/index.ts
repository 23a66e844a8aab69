export { GalvanicError, errorKind, isWireError, type WireError } from './base';
export * from './kinds';
export { ironicErrorBody, httpErrorBody, pythonJsonDumps } from './format';
