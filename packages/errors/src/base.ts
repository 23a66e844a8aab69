/** The root of Galvanic's errors lives in the driver SDK, where drivers extend it too. */
export { GalvanicError, errorKind, isWireError, type WireError } from '@galvanic/driver-sdk';
