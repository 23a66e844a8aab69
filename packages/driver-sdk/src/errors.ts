/**
 * The root of every error Galvanic reports to a client. Each subclass is one of Ironic's error
 * kinds: it carries the HTTP status Ironic answers with and builds Ironic's wording.
 */
export abstract class GalvanicError extends Error {
  /** HTTP status the API answers with. */
  abstract readonly status: number;
  /** Stable name that crosses process boundaries (RPC) and picks the class on the other side. */
  abstract readonly kind: string;

  get faultcode(): 'Client' | 'Server' {
    return this.status < 500 ? 'Client' : 'Server';
  }

  toWire(): WireError {
    return { kind: this.kind, status: this.status, message: this.message };
  }
}

/** The shape an error takes on the RPC wire. */
export interface WireError {
  kind: string;
  status: number;
  message: string;
}

export function isWireError(value: unknown): value is WireError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.kind === 'string' && typeof v.status === 'number' && typeof v.message === 'string'
  );
}

/**
 * A class of errors with one of Ironic's names and the HTTP status Ironic answers it with:
 * `class NodeOutOfRack extends errorKind('NodeOutOfRack', 409) {}`.
 */
export function errorKind(name: string, status: number) {
  return class extends GalvanicError {
    readonly kind = name;
    readonly status = status;
    constructor(message: string) {
      super(message);
      this.name = name;
    }
  };
}

// The errors a driver throws; the API shows each with Ironic's status and wording.

export class InvalidParameterValue extends errorKind('InvalidParameterValue', 400) {}
export class MissingParameterValue extends errorKind('MissingParameterValue', 400) {}
export class UnsupportedDriverExtension extends errorKind('UnsupportedDriverExtension', 400) {
  constructor(driver: string, extension: string) {
    super(`Driver ${driver} does not support ${extension} (disabled or not implemented).`);
  }
}
export class InvalidState extends errorKind('InvalidState', 409) {
  constructor(message = 'Invalid resource state.') {
    super(message);
  }
}
export class InternalError extends errorKind('InternalError', 500) {
  constructor(message = 'An unknown exception occurred.') {
    super(message);
  }
}
export class TemporaryFailure extends errorKind('TemporaryFailure', 503) {
  constructor(message = 'Resource temporarily unavailable, please retry.') {
    super(message);
  }
}
/** An image could not be fetched, or did not match its checksum (Ironic's ImageDownloadFailed). */
export class ImageDownloadFailed extends errorKind('ImageDownloadFailed', 500) {
  constructor(imageHref: string, reason: string) {
    super(`Failed to download image ${imageHref}, reason: ${reason}`);
  }
}
