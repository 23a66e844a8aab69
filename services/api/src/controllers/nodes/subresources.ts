import { Router, type Request, type RequestHandler } from 'express';
import {
  addNodeTraitsMethod,
  removeNodeTraitsMethod,
  setTargetRaidConfigMethod,
  updateNodeMethod,
  vifAttachMethod,
  vifDetachMethod,
  vifListMethod,
} from '@galvanic/conductor-api';
import type { NodeStore } from '@galvanic/db';
import { Invalid, InvalidParameterValue, NotAcceptable, NotFound } from '@galvanic/errors';
import { methodNotAllowed } from '../../http/errors';
import { baseUrl } from '../../http/links';
import { hasLogicalNameCharacters, isUuid, pythonRepr, shownValue } from '../../resources/rules';
import {
  MINOR_12_RAID_CONFIG,
  MINOR_28_VIFS_SUBCONTROLLER,
  MINOR_37_NODE_TRAITS,
} from '../../resources/versions';
import { findNode } from './identity';
import type { NodeOwners } from './owner';
import { STANDARD_TRAITS } from './standard-traits';

export interface NodeSubresourceDependencies {
  nodes: NodeStore;
  owners: NodeOwners;
  publicEndpoint: string | undefined;
}

const CUSTOM_TRAIT = /^CUSTOM_[A-Z0-9_]+$/;

/** Ironic's trait schema: 1–255 characters, a standard os-traits name or `CUSTOM_[A-Z0-9_]+`. */
function checkTrait(name: string, trait: unknown): string {
  if (typeof trait !== 'string') {
    throw new InvalidParameterValue(
      `Schema error for ${name}: ${pythonRepr(trait)} is not of type 'string'`,
    );
  }
  if (trait.length > 255) {
    throw new InvalidParameterValue(`Schema error for ${name}: ${pythonRepr(trait)} is too long`);
  }
  if (trait.length === 0 || !(CUSTOM_TRAIT.test(trait) || STANDARD_TRAITS.has(trait))) {
    throw new InvalidParameterValue(
      `Schema error for ${name}: ${pythonRepr(trait)} is not valid under any of the given schemas`,
    );
  }
  return trait;
}

/** The body of `PUT .../traits`: `{"traits": [...]}` and nothing else, or no body at all. */
function traitsInBody(req: Request): string[] | undefined {
  const body: unknown = req.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidParameterValue(
      `Schema error for body: ${pythonRepr(body)} is not of type 'object'`,
    );
  }
  const fields = body as Record<string, unknown>;
  const unexpected = Object.keys(fields).filter((key) => key !== 'traits');
  if (unexpected.length > 0) {
    const list = unexpected.map((key) => pythonRepr(key)).join(', ');
    throw new InvalidParameterValue(
      `Schema error for body: Additional properties are not allowed (${list} ${unexpected.length === 1 ? 'was' : 'were'} unexpected)`,
    );
  }
  if (!Object.hasOwn(fields, 'traits')) return undefined;
  if (!Array.isArray(fields.traits)) {
    throw new InvalidParameterValue(
      `Schema error for body: ${pythonRepr(fields.traits)} is not of type 'array'`,
    );
  }
  return fields.traits.map((trait) => checkTrait('body', trait));
}

function hasBody(req: Request): boolean {
  const body: unknown = req.body;
  return (
    body !== undefined &&
    body !== null &&
    !(typeof body === 'object' && Object.keys(body as object).length === 0)
  );
}

/** A VIF id is a UUID or a logical name (Ironic's `uuid_or_name`). */
function checkVifId(name: string, id: unknown): string {
  if (typeof id !== 'string' || !(isUuid(id) || hasLogicalNameCharacters(id))) {
    throw new InvalidParameterValue(`Expected UUID or name for ${name}: ${shownValue(id)}`);
  }
  return id;
}

/**
 * A node's sub-resources whose work is the owning conductor's: maintenance, traits (1.37), VIFs
 * (1.28) and the target RAID configuration (1.12), as Ironic's node controller serves them.
 */
export function nodeSubresourcesRouter(deps: NodeSubresourceDependencies): Router {
  const { nodes, owners } = deps;
  const router = Router();
  const node = (req: Request) => findNode(req, nodes, String(req.params.ident));
  /** Below its microversion a sub-resource does not exist (404), as in Ironic. */
  const since =
    (minor: number): RequestHandler =>
    (req, _res, next) => {
      if (req.apiVersion.minor < minor) throw new NotFound();
      next();
    };

  router
    .route('/:ident/maintenance')
    .put(async (req, res) => {
      const found = await node(req);
      const body = req.body as Record<string, unknown> | undefined;
      const reason =
        (body && typeof body === 'object' ? body.reason : undefined) ?? req.query.reason;
      if (reason !== undefined && reason !== null && typeof reason !== 'string')
        throw new InvalidParameterValue(`Expected string for reason: ${shownValue(reason)}`);
      await owners.call(req, found, updateNodeMethod, {
        changes: { maintenance: true, maintenance_reason: reason ?? null },
      });
      res.status(202).end();
    })
    .delete(async (req, res) => {
      await owners.call(req, await node(req), updateNodeMethod, {
        changes: { maintenance: false },
      });
      res.status(202).end();
    })
    .all(methodNotAllowed(['PUT', 'DELETE']));

  router
    .route('/:ident/traits')
    .all(since(MINOR_37_NODE_TRAITS))
    .get(async (req, res) => {
      res.json({ traits: (await node(req)).traits });
    })
    .put(async (req, res) => {
      const traits = traitsInBody(req);
      const found = await node(req);
      if (traits === undefined) {
        throw new Invalid(
          'A single node trait may be added via PUT /v1/nodes/<node identifier>/traits/<trait> ' +
            'with no body, or all node traits may be replaced via PUT /v1/nodes/<node ' +
            'identifier>/traits with the list of traits specified in the request body.',
        );
      }
      await owners.call(req, found, addNodeTraitsMethod, { traits, replace: true });
      res.status(204).end();
    })
    .delete(async (req, res) => {
      await owners.call(req, await node(req), removeNodeTraitsMethod, { traits: null });
      res.status(204).end();
    })
    .all(methodNotAllowed(['GET', 'PUT', 'DELETE']));

  router
    .route('/:ident/traits/:trait')
    .all(since(MINOR_37_NODE_TRAITS))
    .put(async (req, res) => {
      const ident = String(req.params.ident);
      const trait = checkTrait('trait', String(req.params.trait));
      const found = await node(req);
      if (hasBody(req)) throw new Invalid('No body should be provided when adding a trait');
      await owners.call(req, found, addNodeTraitsMethod, { traits: [trait], replace: false });
      res.setHeader(
        'Location',
        `${baseUrl(req, deps.publicEndpoint)}/v1/nodes/${ident}/traits/${trait}`,
      );
      res.status(204).end();
    })
    .delete(async (req, res) => {
      const trait = String(req.params.trait);
      await owners.call(req, await node(req), removeNodeTraitsMethod, { traits: [trait] });
      res.status(204).end();
    })
    .all(methodNotAllowed(['PUT', 'DELETE']));

  router
    .route('/:ident/vifs')
    .all(since(MINOR_28_VIFS_SUBCONTROLLER))
    .get(async (req, res) => {
      res.json(await owners.call(req, await node(req), vifListMethod, {}));
    })
    .post(async (req, res) => {
      const body: unknown = req.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new InvalidParameterValue(
          `Schema error for vif: ${pythonRepr(body ?? null)} is not of type 'object'`,
        );
      }
      const vif = body as Record<string, unknown>;
      if (!Object.hasOwn(vif, 'id'))
        throw new InvalidParameterValue("Schema error for vif: 'id' is a required property");
      if (typeof vif.id !== 'string') {
        throw new InvalidParameterValue(
          `Schema error for vif: ${pythonRepr(vif.id)} is not of type 'string'`,
        );
      }
      checkVifId('id', vif.id);
      const found = await node(req);
      if (Object.hasOwn(vif, 'port_uuid') && Object.hasOwn(vif, 'portgroup_uuid'))
        throw new Invalid('Cannot specify both port_uuid and portgroup_uuid');
      for (const key of ['port_uuid', 'portgroup_uuid'] as const) {
        if (vif[key] !== undefined && typeof vif[key] !== 'string')
          throw new InvalidParameterValue(`Expected UUID for ${key}: ${shownValue(vif[key])}`);
      }
      await owners.call(req, found, vifAttachMethod, {
        vif_info: vif as { id: string; port_uuid?: string; portgroup_uuid?: string },
      });
      res.status(204).end();
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/:ident/vifs/:vif')
    .all(since(MINOR_28_VIFS_SUBCONTROLLER))
    .delete(async (req, res) => {
      const vifId = checkVifId('vif_id', String(req.params.vif));
      await owners.call(req, await node(req), vifDetachMethod, { vif_id: vifId });
      res.status(204).end();
    })
    .all(methodNotAllowed(['DELETE']));

  router
    .route('/:ident/states/raid')
    .put(async (req, res) => {
      const found = await node(req);
      if (req.apiVersion.minor < MINOR_12_RAID_CONFIG)
        throw new NotAcceptable('Request not acceptable.');
      const body: unknown = req.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new InvalidParameterValue(
          `Schema error for target_raid_config: ${pythonRepr(body ?? null)} is not of type 'object'`,
        );
      }
      await owners.call(req, found, setTargetRaidConfigMethod, {
        target_raid_config: body as Record<string, unknown>,
      });
      res.status(204).end();
    })
    .all(methodNotAllowed(['PUT']));

  return router;
}
