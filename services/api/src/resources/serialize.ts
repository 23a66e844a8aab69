import { RawJson } from '@galvanic/db';
import { mayNameSecret, redactSecrets } from '@galvanic/logging';
import { ironicTimestamp } from '../http/links';
import type { CompiledResource } from './declaration';
import type { ComputedField, RenderContext } from './render';

/**
 * A page of a resource as JSON text, the same text as `JSON.stringify` of `renderResource` for
 * each row: the fields in order, each as its declaration says. Columns read as {@link RawJson}
 * are copied as PostgreSQL sent them, and a secret-bearing map is parsed only when its text
 * could name a secret, so a list of a thousand nodes neither parses nor builds their maps.
 */
export function serializeResources<Row extends { uuid: string }, Context>(
  resource: CompiledResource,
  rows: readonly Row[],
  fields: readonly string[],
  render: RenderContext<Context>,
  computed?: ComputedField<Row, Context>,
): string {
  const keys = fields.map((field) => `${JSON.stringify(field)}:`);
  const laterKeys = keys.map((key) => `,${key}`);
  const shows = fields.map((field) => resource.fields[field]?.show ?? 'value');
  // The base is the same for every row: escape it once; UUIDs need no escaping.
  const base = JSON.stringify(render.base).slice(1, -1);
  const links = (id: string) =>
    `[{"href":"${base}/v1/${resource.collection}/${id}","rel":"self"},` +
    `{"href":"${base}/${resource.collection}/${id}","rel":"bookmark"}]`;
  const parts: string[] = ['['];
  for (const row of rows) {
    const columns = row as unknown as Record<string, unknown>;
    parts.push(parts.length === 1 ? '{' : ',{');
    let first = true;
    for (let i = 0; i < fields.length; i += 1) {
      const field = fields[i]!;
      let json: string | undefined;
      const redacted = render.redact?.(row, field);
      if (redacted) json = JSON.stringify(redacted.shown);
      else {
        switch (shows[i]) {
          case 'links':
            json = links(row.uuid);
            break;
          case 'subresource-links':
            json = links(`${row.uuid}/${field}`);
            break;
          case 'timestamp':
            json = JSON.stringify(ironicTimestamp(columns[field] as Date | null));
            break;
          case 'secrets-masked':
            json = maskedJson(columns[field]);
            break;
          case 'computed':
            json = JSON.stringify(computed ? computed(row, field, render.context) : null);
            break;
          default:
            json = valueJson(columns[field]);
        }
      }
      // As JSON.stringify leaves out a property whose value it cannot write.
      if (json === undefined) continue;
      parts.push(first ? keys[i]! : laterKeys[i]!, json);
      first = false;
    }
    parts.push('}');
  }
  parts.push(']');
  return parts.join('');
}

function valueJson(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'null';
    case 'object':
      if (value === null) return 'null';
      if (value instanceof RawJson) return value.text;
      return JSON.stringify(value);
    default:
      return JSON.stringify(value);
  }
}

function maskedJson(value: unknown): string | undefined {
  if (value instanceof RawJson) {
    if (!mayNameSecret(value.text)) return value.text;
    return JSON.stringify(redactSecrets(value.parse()));
  }
  return JSON.stringify(redactSecrets(value));
}
