import type { GalvanicError } from '@galvanic/errors';
import { MAX_VERSION } from '../http/microversion';
import type { ResourcePolicy } from './policy';

/** A JSON type a field's schema takes, as Ironic's JSON schemas name them. */
export type JsonType = 'string' | 'boolean' | 'object' | 'array' | 'null' | 'integer';

/** How a field's stored value is shown. */
export type FieldPresentation =
  /** The row's column of the same name, `null` when unset. */
  | 'value'
  /** A timestamp in Ironic's format. */
  | 'timestamp'
  /** A map whose secret-named members show as `******`. */
  | 'secrets-masked'
  /** The resource's own `self` and `bookmark` links. */
  | 'links'
  /** Links to a sub-collection of the resource, named by the field. */
  | 'subresource-links'
  /** Not stored: the resource's `computed` hook gives it. */
  | 'computed';

/** When a client may set a field; absent means read-only. */
export type FieldWrite = 'create' | 'create-and-patch' | 'patch';

export interface FieldDeclaration {
  /** The microversion (1.N) that introduced the field. */
  since: number;
  show?: FieldPresentation;
  write?: FieldWrite;
  /** The JSON types a client's value may have (Ironic's schema, in its order). */
  types?: readonly JsonType[];
  /** Longest string the field takes. */
  maxLength?: number;
  /** A string the field takes must be a UUID (checked after the schema, in Ironic's words). */
  uuid?: boolean;
  /** A create request must give the field. */
  required?: boolean;
}

/** How a list filter's text is read. */
export type FilterKind = 'text' | 'uuid' | 'boolean';

export interface FilterDeclaration {
  kind: FilterKind;
  /** The microversion (1.N) that introduced the filter; older requests ignore it. */
  since?: number;
}

/**
 * How a resource reads `fields`, `detail` and `marker`.
 *
 * - `ironic`: Ironic's rules. `fields` from `fieldsSince` (before it, a bare 406); showing or
 *   sorting by a field newer than the negotiated microversion is a bare 406; show lower-cases the
 *   names. `detail` is an oslo boolean from `detailSince`, refused on `/detail`. An unknown
 *   marker is the resource's 404.
 * - `lenient`: what Galvanic's node API has always answered. `fields` names only the negotiated
 *   microversion's fields (any other is "not valid"), at any microversion, as given; any sort key
 *   goes. `detail` is true for oslo's true words and false otherwise; on `/detail` it is refused
 *   like `fields`. An unknown marker is "Marker X does not exist.".
 */
export type ParameterStyle =
  { style: 'ironic'; fieldsSince: number; detailSince: number } | { style: 'lenient' };

/**
 * A resource of the API, declared once: its fields with the microversion each appeared in and
 * how each is shown and written, its filters and sort keys, and its list defaults. Everything
 * generic about list, show, create, patch and delete follows from this.
 */
export interface ResourceDeclaration {
  /** The collection's path under /v1 and its key in a list body, e.g. `chassis`. */
  collection: string;
  /** The key of a list body when it is not `collection`, e.g. `connectors` for `volume/connectors`. */
  itemsKey?: string;
  /** What schema messages call one of them, e.g. `chassis` in "Schema error for chassis: ...". */
  singular: string;
  fields: Readonly<Record<string, FieldDeclaration>>;
  /**
   * The fields of a list without `detail` or `fields`, each shown from its microversion on
   * (`links` is always added).
   */
  defaultListFields: readonly string[];
  sortKeys: readonly string[];
  filters?: Readonly<Record<string, FilterDeclaration>>;
  parameters: ParameterStyle;
  /** The 404 for a resource that is not there. */
  notFound(ident: string): GalvanicError;
  /** Who may do what with it (Ironic's rules); operators only when absent. */
  policy?: ResourcePolicy;
}

/** A declaration with its lookup tables, built once when the API starts. */
export interface CompiledResource extends ResourceDeclaration {
  readonly allFields: readonly string[];
  /** The fields each microversion shows, indexed by minor. */
  readonly fieldsByMinor: readonly (readonly string[])[];
  /** The fields of a plain list at each microversion, indexed by minor, `links` last. */
  readonly listFieldsByMinor: readonly (readonly string[])[];
  readonly creatable: readonly string[];
  /** Patchable fields, sorted as Ironic lists them in its refusal. */
  readonly patchable: readonly string[];
  readonly required: readonly string[];
}

/** Builds a resource's lookup tables once. */
export function compileResource(declaration: ResourceDeclaration): CompiledResource {
  const entries = Object.entries(declaration.fields);
  const since = (name: string) => declaration.fields[name]?.since ?? 1;
  const fieldsByMinor: string[][] = [];
  const listFieldsByMinor: string[][] = [];
  for (let minor = 0; minor <= MAX_VERSION.minor; minor += 1) {
    fieldsByMinor.push(entries.filter(([, field]) => field.since <= minor).map(([name]) => name));
    const listed = declaration.defaultListFields.filter((name) => since(name) <= minor);
    listFieldsByMinor.push([...new Set([...listed, 'links'])]);
  }
  const writable = (kinds: readonly FieldWrite[]) =>
    entries.filter(([, f]) => f.write !== undefined && kinds.includes(f.write)).map(([n]) => n);
  return {
    ...declaration,
    allFields: entries.map(([name]) => name),
    fieldsByMinor,
    listFieldsByMinor,
    creatable: writable(['create', 'create-and-patch']),
    patchable: writable(['patch', 'create-and-patch']).sort(),
    required: entries.filter(([, f]) => f.required === true).map(([name]) => name),
  };
}

/** The fields the negotiated microversion shows. */
export function fieldsAt(resource: CompiledResource, minor: number): readonly string[] {
  return resource.fieldsByMinor[Math.min(minor, MAX_VERSION.minor)]!;
}

/** The fields of a list without `detail` or `fields` at the negotiated microversion. */
export function listFieldsAt(resource: CompiledResource, minor: number): readonly string[] {
  return resource.listFieldsByMinor[Math.min(minor, MAX_VERSION.minor)]!;
}

/** The microversion that introduced `field`; 1 for a name the resource does not have. */
export function fieldSince(resource: CompiledResource, field: string): number {
  return Object.hasOwn(resource.fields, field) ? resource.fields[field]!.since : 1;
}
