import { InvalidUuidOrName } from '@galvanic/errors';
import { isUuid, isValidLogicalName } from './rules';

/** How a resource named by UUID or name is read. */
export interface UuidOrNameLookup<Row> {
  byUuid(uuid: string): Promise<Row | undefined>;
  byName(name: string): Promise<Row | undefined>;
  notFound(ident: string): Error;
}

/**
 * A resource a path names by UUID or logical name, as Ironic's `get_rpc_<resource>_with_suffix`
 * finds it: a UUID first, then a valid name; anything else is `InvalidUuidOrName`.
 */
export async function findByUuidOrName<Row>(
  lookup: UuidOrNameLookup<Row>,
  ident: string,
): Promise<Row> {
  let row: Row | undefined;
  if (isUuid(ident)) row = await lookup.byUuid(ident.toLowerCase());
  else if (isValidLogicalName(ident)) row = await lookup.byName(ident);
  else throw new InvalidUuidOrName(ident);
  if (!row) throw lookup.notFound(ident);
  return row;
}
