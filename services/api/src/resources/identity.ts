import { InvalidUuidOrName, type GalvanicError } from '@galvanic/errors';
import { hasLogicalNameCharacters, isUuid } from './rules';

/** A store that finds a resource by UUID and by name. */
export interface NamedLookup<Row> {
  getByUuid(uuid: string): Promise<Row | undefined>;
  getByName(name: string): Promise<Row | undefined>;
}

/**
 * Finds a resource by UUID or logical name, as Ironic's `get_rpc_portgroup` and `Port.get` do:
 * a UUID is looked up as one, other text must be a logical name (else InvalidUuidOrName).
 */
export async function findByUuidOrName<Row>(
  store: NamedLookup<Row>,
  ident: string,
  notFound: (ident: string) => GalvanicError,
): Promise<Row> {
  let row: Row | undefined;
  if (isUuid(ident)) row = await store.getByUuid(ident.toLowerCase());
  else if (hasLogicalNameCharacters(ident)) row = await store.getByName(ident);
  else throw new InvalidUuidOrName(ident);
  if (row === undefined) throw notFound(ident);
  return row;
}
