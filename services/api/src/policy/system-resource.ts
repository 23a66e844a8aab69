import type { ResourcePolicy } from '../resources/policy';

const GET = ['GET', 'HEAD'];

/**
 * The policy of a resource only operators use (chassis, deploy templates): `get` for reads,
 * `create`, `update` and `delete` for writes, each answered with Ironic's 403 (nothing hidden).
 */
export function systemResourcePolicy(
  rulePrefix: string,
  collection: string,
  checks: { get: string; create: string; update: string; delete: string },
): ResourcePolicy {
  const rule = (action: keyof typeof checks) => `${rulePrefix}:${action}`;
  return {
    rules: Object.fromEntries(
      (Object.keys(checks) as (keyof typeof checks)[]).map((action) => [
        rule(action),
        checks[action],
      ]),
    ),
    routes: [
      { methods: GET, path: `/${collection}/*`, rules: [rule('get')] },
      { methods: ['POST'], path: `/${collection}`, rules: [rule('create')] },
      { methods: ['PATCH'], path: `/${collection}/:ident`, rules: [rule('update')] },
      { methods: ['DELETE'], path: `/${collection}/:ident`, rules: [rule('delete')] },
    ],
  };
}
