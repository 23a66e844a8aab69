export { GalvanicError, isWireError, type WireError } from './base';
export * from './kinds';
export { ironicErrorBody, httpErrorBody, pythonJsonDumps } from './format';
