import type { Request } from 'express';
import { NotAcceptable } from '@galvanic/errors';
import { singleQueryParam } from '../../http/collection';
import {
  MINOR_99_PORT_PORTGROUP_CONDUCTOR_GROUP_FILTER,
  MINOR_106_PORTGROUP_SHARD,
} from '../../resources/versions';

/** Ironic's refusal of a filter older microversions do not have, naming the one that does. */
function tooOld(since: number): NotAcceptable {
  return new NotAcceptable(
    `Request not acceptable. The minimal required API version should be 1.${since}`,
  );
}

/** oslo's `string_list`: comma-separated, blanks dropped. */
function stringList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** `?conductor_groups=a,b` of port and port group lists (1.99), in lower case as stored. */
export function conductorGroupsFilter(req: Request): string[] | undefined {
  const text = singleQueryParam(req, 'conductor_groups');
  if (text === undefined) return undefined;
  if (req.apiVersion.minor < MINOR_99_PORT_PORTGROUP_CONDUCTOR_GROUP_FILTER)
    throw tooOld(MINOR_99_PORT_PORTGROUP_CONDUCTOR_GROUP_FILTER);
  return stringList(text).map((group) => group.toLowerCase());
}

/** `?shard=a,b` of port group lists (1.106). */
export function portgroupShardFilter(req: Request): string[] | undefined {
  const text = singleQueryParam(req, 'shard');
  if (text === undefined) return undefined;
  if (req.apiVersion.minor < MINOR_106_PORTGROUP_SHARD) throw tooOld(MINOR_106_PORTGROUP_SHARD);
  return stringList(text);
}
