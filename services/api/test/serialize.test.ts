import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RawJson } from '@galvanic/db';
import { NODE_RESOURCE } from '../src/controllers/nodes/resource';
import { fieldsAt } from '../src/resources/declaration';
import { renderResource, type RenderContext } from '../src/resources/render';
import { serializeResources } from '../src/resources/serialize';

type Row = Record<string, unknown> & { uuid: string };

function node(maps: Record<string, unknown>): Row {
  return {
    id: 1,
    uuid: randomUUID(),
    name: 'n-"quoted"\u2028\u0001',
    driver: 'ipmi',
    maintenance: false,
    created_at: new Date('2026-11-30T01:02:03.456Z'),
    updated_at: null,
    traits: ['CUSTOM_A'],
    ...maps,
  };
}

/** The same row with its jsonb columns as PostgreSQL's text, as a `rawJson` list reads them. */
function raw(row: Row, columns: readonly string[]): Row {
  const copy: Row = { ...row };
  for (const column of columns) copy[column] = new RawJson(JSON.stringify(row[column]));
  return copy;
}

const MAPS = ['driver_info', 'properties', 'instance_info', 'driver_internal_info', 'extra'];
const computed = (row: Row, field: string) =>
  field === 'conductor' ? `c-${row.id as number}` : field === 'health' ? undefined : null;

describe('serializeResources: the JSON text of renderResource, without building the objects', () => {
  const fields = fieldsAt(NODE_RESOURCE, 1000);
  const render: RenderContext<unknown> = { base: 'http://h:1/"x"', context: {} };
  const rows = [
    node({
      driver_info: { ipmi_address: '10.0.0.1', ipmi_password: 'hunter2', nested: [{ token: 't' }] },
      properties: { cpus: 8, memory_mb: 4096 },
      instance_info: { image_source: 'http://img', configdrive: { meta: 'x' } },
      driver_internal_info: { agent_secret_token: 'abc', steps: [1, 2, 3] },
      extra: { ünïcode: 'ş', deep: { a: { b: null } } },
    }),
    node({
      driver_info: {},
      properties: {},
      instance_info: {},
      driver_internal_info: {},
      extra: {},
    }),
  ];
  const expected = JSON.stringify(
    rows.map((row) => renderResource(NODE_RESOURCE, row, fields, render, computed)),
  );

  it('writes what JSON.stringify writes of the rendered rows, from parsed maps', () => {
    expect(serializeResources(NODE_RESOURCE, rows, fields, render, computed)).toBe(expected);
  });

  it('writes the same from jsonb text, secrets masked and nothing else changed', () => {
    const text = serializeResources(
      NODE_RESOURCE,
      rows.map((row) => raw(row, MAPS)),
      fields,
      render,
      computed,
    );
    expect(text).toBe(expected);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('"abc"');
    expect(JSON.parse(text)[0].driver_info.ipmi_password).toBe('******');
  });

  it('shows what a field redactor decides, and only the fields asked for, in their order', () => {
    const some = ['uuid', 'driver_info', 'name', 'links'];
    const redacting: RenderContext<unknown> = {
      ...render,
      redact: (_row, field) => (field === 'driver_info' ? { shown: '******' } : undefined),
    };
    const text = serializeResources(
      NODE_RESOURCE,
      rows.map((row) => raw(row, MAPS)),
      some,
      redacting,
      computed,
    );
    expect(text).toBe(
      JSON.stringify(rows.map((row) => renderResource(NODE_RESOURCE, row, some, redacting))),
    );
    expect(Object.keys(JSON.parse(text)[0])).toEqual(some);
  });

  it('writes an empty page as an empty array', () => {
    expect(serializeResources(NODE_RESOURCE, [], fields, render)).toBe('[]');
  });
});
