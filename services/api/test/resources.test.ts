import { describe, expect, it } from 'vitest';
import { InvalidParameterValue } from '@galvanic/errors';
import { CHASSIS_RESOURCE } from '../src/controllers/chassis/resource';
import { NODE_RESOURCE } from '../src/controllers/nodes/resource';
import { PORTGROUP_RESOURCE } from '../src/controllers/portgroups/resource';
import { PORT_RESOURCE } from '../src/controllers/ports/resource';
import { compileResource, fieldsAt, listFieldsAt } from '../src/resources/declaration';
import { renderResource } from '../src/resources/render';
import {
  booleanArgument,
  booleanWord,
  isValidLogicalName,
  pythonRepr,
  uuidArgument,
} from '../src/resources/rules';
import { checkSchema } from '../src/resources/schema';

describe('the shared argument rules', () => {
  it("reads oslo's boolean words, any case, and nothing else", () => {
    for (const word of ['1', 't', 'true', 'on', 'y', 'yes', 'TRUE', ' Yes '])
      expect(booleanWord(word), word).toBe(true);
    for (const word of ['0', 'f', 'false', 'off', 'n', 'no', 'Off'])
      expect(booleanWord(word), word).toBe(false);
    for (const word of ['', 'maybe', 'constructor', '2']) expect(booleanWord(word)).toBeUndefined();
  });

  it("refuses any other word in Ironic's args.boolean words", () => {
    expect(() => booleanArgument('detail', 'maybe')).toThrow(
      new InvalidParameterValue(
        "Invalid detail: Unrecognized value 'maybe', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'",
      ),
    );
  });

  it('checks UUIDs and logical names as Ironic does', () => {
    expect(uuidArgument('marker', '6B5943E6-B64F-4B04-9D26-BE4072B93143')).toBe(
      '6B5943E6-B64F-4B04-9D26-BE4072B93143',
    );
    expect(() => uuidArgument('marker', 'node-1')).toThrow('Expected UUID for marker: node-1');
    expect(isValidLogicalName('rack1.node~2_a-b')).toBe(true);
    expect(isValidLogicalName('6b5943e6-b64f-4b04-9d26-be4072b93143')).toBe(false);
    expect(isValidLogicalName('has space')).toBe(false);
    expect(isValidLogicalName('n'.repeat(256))).toBe(false);
  });

  it("quotes values as Python's repr", () => {
    expect(pythonRepr({ a: [true, null, 1.5, "it's"] })).toBe("{'a': [True, None, 1.5, 'it\\'s']}");
  });
});

describe('resource declarations', () => {
  it('show each field from the microversion that introduced it, in the declared order', () => {
    expect(fieldsAt(NODE_RESOURCE, 1)).not.toContain('name');
    expect(fieldsAt(NODE_RESOURCE, 5)).toContain('name');
    expect(fieldsAt(NODE_RESOURCE, 81)).not.toContain('shard');
    expect(fieldsAt(NODE_RESOURCE, 82).at(-1)).toBe('shard');
    expect(fieldsAt(PORT_RESOURCE, 52)).not.toContain('is_smartnic');
    expect(fieldsAt(CHASSIS_RESOURCE, 1)).toEqual([
      'uuid',
      'description',
      'extra',
      'created_at',
      'updated_at',
      'links',
      'nodes',
    ]);
  });

  it('list the default fields of each microversion, links last', () => {
    expect(listFieldsAt(NODE_RESOURCE, 4)).toEqual([
      'instance_uuid',
      'maintenance',
      'power_state',
      'provision_state',
      'uuid',
      'links',
    ]);
    expect(listFieldsAt(NODE_RESOURCE, 5)).toEqual([
      'instance_uuid',
      'maintenance',
      'power_state',
      'provision_state',
      'uuid',
      'name',
      'links',
    ]);
    expect(listFieldsAt(PORT_RESOURCE, 82)).toEqual(['uuid', 'address', 'links']);
    expect(listFieldsAt(CHASSIS_RESOURCE, 82)).toEqual(['uuid', 'description', 'links']);
  });

  it("patch exactly the fields Ironic lets a client patch, in its refusal's order", () => {
    expect(NODE_RESOURCE.patchable).toEqual([
      'automated_clean',
      'bios_interface',
      'boot_interface',
      'chassis_uuid',
      'conductor_group',
      'console_interface',
      'deploy_interface',
      'description',
      'disable_power_off',
      'driver',
      'driver_info',
      'extra',
      'firmware_interface',
      'inspect_interface',
      'instance_info',
      'instance_name',
      'instance_uuid',
      'lessee',
      'maintenance',
      'management_interface',
      'name',
      'network_data',
      'network_interface',
      'owner',
      'parent_node',
      'power_interface',
      'properties',
      'protected',
      'protected_reason',
      'raid_interface',
      'rescue_interface',
      'resource_class',
      'retired',
      'retired_reason',
      'shard',
      'storage_interface',
      'vendor_interface',
    ]);
    expect(PORT_RESOURCE.patchable).toEqual([
      'address',
      'available_for_dynamic_portgroup',
      'category',
      'description',
      'extra',
      'is_smartnic',
      'local_link_connection',
      'name',
      'node_uuid',
      'physical_network',
      'portgroup_uuid',
      'pxe_enabled',
      'vendor',
    ]);
    expect(PORTGROUP_RESOURCE.patchable).toEqual([
      'address',
      'category',
      'extra',
      'mode',
      'name',
      'node_uuid',
      'physical_network',
      'properties',
      'standalone_ports_supported',
    ]);
    expect(CHASSIS_RESOURCE.patchable).toEqual(['description', 'extra']);
    expect(NODE_RESOURCE.creatable).not.toContain('maintenance');
    expect(NODE_RESOURCE.creatable).toContain('uuid');
  });
});

describe('rendering and schema checks', () => {
  const widget = compileResource({
    collection: 'widgets',
    singular: 'widget',
    fields: {
      uuid: { since: 1, write: 'create', types: ['string', 'null'], uuid: true },
      secret_info: { since: 1, show: 'secrets-masked', write: 'create', types: ['object'] },
      made_at: { since: 1, show: 'timestamp' },
      label: { since: 1, write: 'create', types: ['string'], maxLength: 3, required: true },
      links: { since: 1, show: 'links' },
      parts: { since: 1, show: 'subresource-links' },
      owner: { since: 1, show: 'computed' },
    },
    defaultListFields: ['uuid'],
    sortKeys: ['id'],
    parameters: { style: 'ironic', fieldsSince: 8, detailSince: 43 },
    notFound: (ident) => new InvalidParameterValue(ident),
  });

  it('masks secrets, formats timestamps, builds links, and asks for computed fields', () => {
    const row = {
      uuid: 'u1',
      secret_info: { password: 'hunter2', user: 'admin' },
      made_at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)),
    };
    const shown = renderResource(
      widget,
      row,
      fieldsAt(widget, 1),
      { base: 'http://h:1', context: 'ctx' },
      (r, field, context) => `${r.uuid}/${field}/${context}`,
    );
    expect(shown).toEqual({
      uuid: 'u1',
      secret_info: { password: '******', user: 'admin' },
      made_at: '2026-01-02T03:04:05.006000+00:00',
      label: null,
      links: [
        { href: 'http://h:1/v1/widgets/u1', rel: 'self' },
        { href: 'http://h:1/widgets/u1', rel: 'bookmark' },
      ],
      parts: [
        { href: 'http://h:1/v1/widgets/u1/parts', rel: 'self' },
        { href: 'http://h:1/widgets/u1/parts', rel: 'bookmark' },
      ],
      owner: 'u1/owner/ctx',
    });
  });

  it("checks a body against the declared schema in Ironic's order and words", () => {
    const check = (body: unknown) => () => checkSchema(widget, 'widget', body, widget.creatable);
    expect(check({ label: 'abc', colour: 1, size: 2 })).toThrow(
      "Schema error for widget: Additional properties are not allowed ('colour', 'size' were unexpected)",
    );
    expect(check({})).toThrow("Schema error for widget: 'label' is a required property");
    expect(check({ label: 7 })).toThrow("Schema error for widget: 7 is not of type 'string'");
    expect(check({ label: 'abcd' })).toThrow("Schema error for widget: 'abcd' is too long");
    expect(check({ label: 'abc', uuid: 'x' })).toThrow('Expected UUID for uuid: x');
    expect(check({ label: { password: 'hunter2' } })).toThrow(
      "Schema error for widget: {'password': '******'} is not of type 'string'",
    );
    expect(check({ label: 'abc', uuid: null })()).toEqual({ label: 'abc', uuid: null });
  });
});
