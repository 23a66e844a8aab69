import { Router, type Request } from 'express';
import { atLeast, formatVersion, MAX_VERSION, MIN_VERSION } from '../http/microversion';
import { baseUrl, resourceLinks } from '../http/links';
import { methodNotAllowed } from '../http/errors';
import * as v from '../resources/versions';

function versionDocument(base: string) {
  return {
    id: 'v1',
    links: [{ href: `${base}/v1/`, rel: 'self' }],
    status: 'CURRENT',
    min_version: formatVersion(MIN_VERSION),
    version: formatVersion(MAX_VERSION),
  };
}

/** `GET /`: the API's name and its one version, with no microversion headers (as Ironic). */
export function rootRouter(publicEndpoint: string | undefined): Router {
  const router = Router();
  router
    .route('/')
    .get((req, res) => {
      const version = versionDocument(baseUrl(req, publicEndpoint));
      res.json({
        name: 'OpenStack Ironic API',
        description:
          'Ironic is an OpenStack project which enables the provision and management of baremetal machines.',
        default_version: version,
        versions: [version],
      });
    })
    .all(methodNotAllowed(['GET']));
  return router;
}

/** Resources listed in the /v1 document, with the microversion that introduced each. */
const V1_RESOURCES: readonly [string, number][] = [
  ['chassis', v.MINOR_1_INITIAL_VERSION],
  ['nodes', v.MINOR_1_INITIAL_VERSION],
  ['ports', v.MINOR_1_INITIAL_VERSION],
  ['drivers', v.MINOR_1_INITIAL_VERSION],
  ['portgroups', v.MINOR_24_PORTGROUPS_SUBRESOURCES],
  ['volume', v.MINOR_32_VOLUME],
  ['lookup', v.MINOR_22_LOOKUP_HEARTBEAT],
  ['heartbeat', v.MINOR_22_LOOKUP_HEARTBEAT],
  ['conductors', v.MINOR_49_CONDUCTORS],
  ['allocations', v.MINOR_52_ALLOCATION],
  ['events', v.MINOR_54_EVENTS],
  ['deploy_templates', v.MINOR_55_DEPLOY_TEMPLATES],
  ['shards', v.MINOR_82_NODE_SHARD],
];

/** `GET /v1`: the resources the negotiated microversion offers. */
export function v1Document(
  req: Request,
  publicEndpoint: string | undefined,
): Record<string, unknown> {
  const base = baseUrl(req, publicEndpoint);
  const document: Record<string, unknown> = {
    id: 'v1',
    links: [
      { href: `${base}/v1/`, rel: 'self' },
      {
        href: 'https://docs.openstack.org//ironic/latest/contributor//webapi.html',
        rel: 'describedby',
        type: 'text/html',
      },
    ],
    media_types: { base: 'application/json', type: 'application/vnd.openstack.ironic.v1+json' },
  };
  for (const [name, minor] of V1_RESOURCES) {
    if (name === 'portgroups') document.version = versionDocument(base);
    if (atLeast(req, minor)) document[name] = resourceLinks(base, name);
  }
  return document;
}
