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
