import { redactSecrets } from '@galvanic/logging';
import { ironicTimestamp, resourceLinks } from '../http/links';
import type { CompiledResource } from './declaration';
import type { FieldRedactor } from './policy';

/** A resource's fields that are not stored columns, given the row and the request's context. */
export type ComputedField<Row, Context> = (row: Row, field: string, context: Context) => unknown;

/** What rendering a row needs besides the row: the link base and the resource's own context. */
export interface RenderContext<Context> {
  base: string;
  context: Context;
  /** Fields policy hides from this caller (see fieldRedactor). */
  redact?: FieldRedactor | undefined;
}

/**
 * The resource as the API shows it: the given fields, in that order, each as its declaration
 * says (timestamps in Ironic's format, secret-bearing maps masked, links built).
 */
export function renderResource<Row extends { uuid: string }, Context>(
  resource: CompiledResource,
  row: Row,
  fields: readonly string[],
  render: RenderContext<Context>,
  computed?: ComputedField<Row, Context>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const columns = row as unknown as Record<string, unknown>;
  for (const field of fields) {
    const redacted = render.redact?.(row, field);
    if (redacted) {
      out[field] = redacted.shown;
      continue;
    }
    switch (resource.fields[field]?.show ?? 'value') {
      case 'links':
        out[field] = resourceLinks(render.base, resource.collection, row.uuid);
        break;
      case 'subresource-links':
        out[field] = resourceLinks(render.base, resource.collection, `${row.uuid}/${field}`);
        break;
      case 'timestamp':
        out[field] = ironicTimestamp(columns[field] as Date | null);
        break;
      case 'secrets-masked':
        out[field] = redactSecrets(columns[field]);
        break;
      case 'computed':
        out[field] = computed ? computed(row, field, render.context) : null;
        break;
      default:
        out[field] = columns[field] ?? null;
    }
  }
  return out;
}
