import type { GalvanicError } from './base';

/**
 * Ironic's error body: `{"error_message": "<JSON text>"}` where the inner text is a JSON object with
 * faultcode, faultstring and debuginfo. The inner text uses Python's json.dumps separators so it
 * reads exactly like Ironic's.
 */
export function ironicErrorBody(error: GalvanicError): { error_message: string } {
  return {
    error_message: pythonJsonDumps({
      faultcode: error.faultcode,
      faultstring: error.message,
      debuginfo: null,
    }),
  };
}

/** The body Ironic's web framework gives for routing errors (404 on unknown paths, 405). */
export function httpErrorBody(
  code: number,
  title: string,
  description = '',
): { error_message: string } {
  return { error_message: pythonJsonDumps({ code, title, description }) };
}

/** JSON text with `", "` and `": "` separators, as Python's json.dumps writes it. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}: ${pythonJsonDumps(v)}`);
  return `{${entries.join(', ')}}`;
}
