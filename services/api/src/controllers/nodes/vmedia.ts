/**
 * `/v1/nodes/{node}/vmedia` (Ironic 1.89 attach / detach, 1.93 list): checked here, carried out
 * by the node's conductor through its management interface.
 */
import { Router, type Request } from 'express';
import {
  attachVirtualMediaMethod,
  detachVirtualMediaMethod,
  getVirtualMediaMethod,
  VMEDIA_DEVICE_TYPES,
  VMEDIA_DOWNLOAD_SOURCES,
  type AttachVirtualMediaArgs,
  type DetachVirtualMediaArgs,
  type NodeRef,
} from '@galvanic/conductor-api';
import { Invalid, InvalidParameterValue, NotFound } from '@galvanic/errors';
import { methodNotAllowed } from '../../http/errors';
import { atLeast } from '../../http/microversion';
import { MINOR_89_ATTACH_DETACH_VMEDIA, MINOR_93_GET_VMEDIA } from '../../resources/versions';
import { findNode } from './identity';
import type { NodeActionDependencies } from './actions';
import { objectBody } from './states';

/** URL schemes a BMC can read virtual media from (Ironic's VMEDIA_SUPPORTED_URL_SCHEMES). */
const URL_SCHEMES = ['http', 'https', 'nfs', 'cifs'];
const ATTACH_FIELDS = ['device_type', 'image_url', 'image_download_source'];

function oneOf(value: unknown, allowed: readonly string[]): string {
  return `${JSON.stringify(value)} is not one of [${allowed.map((v) => `'${v}'`).join(', ')}]`;
}

function schemaError(problem: string): InvalidParameterValue {
  return new InvalidParameterValue(`Schema error for vmedia: ${problem}`);
}

/** The body of `POST .../vmedia`, as Ironic's VMEDIA_ATTACH_VALIDATOR and URL check take it. */
export function checkAttachRequest(req: Request): Omit<AttachVirtualMediaArgs, keyof NodeRef> {
  const body = objectBody(req);
  const extra = Object.keys(body).filter((key) => !ATTACH_FIELDS.includes(key));
  if (extra.length > 0) {
    throw schemaError(
      `Additional properties are not allowed (${extra.map((k) => `'${k}'`).join(', ')} ${extra.length === 1 ? 'was' : 'were'} unexpected)`,
    );
  }
  for (const required of ['device_type', 'image_url']) {
    if (!(required in body)) throw schemaError(`'${required}' is a required property`);
  }
  const { device_type: deviceType, image_url: imageUrl } = body;
  const source = body.image_download_source ?? 'local';
  if (!VMEDIA_DEVICE_TYPES.includes(deviceType as (typeof VMEDIA_DEVICE_TYPES)[number])) {
    throw schemaError(oneOf(deviceType, VMEDIA_DEVICE_TYPES));
  }
  if (typeof imageUrl !== 'string') {
    throw schemaError(`${JSON.stringify(imageUrl)} is not of type 'string'`);
  }
  if (!VMEDIA_DOWNLOAD_SOURCES.includes(source as (typeof VMEDIA_DOWNLOAD_SOURCES)[number])) {
    throw schemaError(oneOf(source, VMEDIA_DOWNLOAD_SOURCES));
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(imageUrl)?.[1]?.toLowerCase() ?? '';
  if (!URL_SCHEMES.includes(scheme)) {
    throw new Invalid(`Unsupported or missing URL scheme: ${scheme}`);
  }
  if (source === 'swift') {
    throw new InvalidParameterValue('image_download_source swift is not supported by Galvanic');
  }
  return {
    device_type: deviceType as AttachVirtualMediaArgs['device_type'],
    image_url: imageUrl,
    image_download_source: source as AttachVirtualMediaArgs['image_download_source'],
  };
}

/** `DELETE .../vmedia?device_types=cdrom,floppy`: none named detaches every device. */
export function checkDetachRequest(req: Request): Omit<DetachVirtualMediaArgs, keyof NodeRef> {
  const raw = req.query.device_types;
  if (raw === undefined || raw === '') return {};
  const types = (Array.isArray(raw) ? raw.map(String) : String(raw).split(','))
    .map((type) => type.trim())
    .filter(Boolean);
  const invalid = types.filter(
    (type) => !VMEDIA_DEVICE_TYPES.includes(type as (typeof VMEDIA_DEVICE_TYPES)[number]),
  );
  if (invalid.length > 0) {
    throw new Invalid(
      `Invalid device type(s) ${invalid.join(', ')} (valid are ${VMEDIA_DEVICE_TYPES.join(', ')})`,
    );
  }
  return { device_types: types as DetachVirtualMediaArgs['device_types'] };
}

export function nodeVmediaRouter(deps: NodeActionDependencies): Router {
  const { nodes, owners } = deps;
  const router = Router();
  const node = (req: Request) => findNode(req, nodes, String(req.params.ident));

  router
    .route('/:ident/vmedia')
    .all((req, _res, next) => {
      if (!atLeast(req, MINOR_89_ATTACH_DETACH_VMEDIA)) throw new NotFound();
      next();
    })
    .get(async (req, res) => {
      if (!atLeast(req, MINOR_93_GET_VMEDIA)) throw new NotFound();
      const { devices } = await owners.call(req, await node(req), getVirtualMediaMethod, {});
      res.json(devices);
    })
    .post(async (req, res) => {
      const args = checkAttachRequest(req);
      await owners.call(req, await node(req), attachVirtualMediaMethod, args);
      res.status(204).end();
    })
    .delete(async (req, res) => {
      const args = checkDetachRequest(req);
      await owners.call(req, await node(req), detachVirtualMediaMethod, args);
      res.status(204).end();
    })
    .all(methodNotAllowed(['GET', 'POST', 'DELETE']));
  return router;
}
