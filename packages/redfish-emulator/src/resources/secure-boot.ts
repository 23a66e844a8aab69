/** SecureBoot: SecureBootEnable by PATCH (in force from the next boot) and the ResetKeys action. */
import { badRequest } from '../errors';
import type { Router } from '../http/router';
import type { EmulatedSystem, EmulatorModel } from '../model';
import { SYSTEMS_PATH } from '../model';
import type { ResetKeysType } from '../secure-boot-state';
import { RESET_KEYS_TYPES } from '../secure-boot-state';
import {
  NO_CONTENT,
  lookup,
  objectBody,
  rejectUnknownParameters,
  requireCurrentEtag,
  resourceReply,
} from './common';

function secureBootResource(system: EmulatedSystem): object {
  const path = `${system.path}/SecureBoot`;
  return {
    '@odata.id': path,
    '@odata.type': '#SecureBoot.v1_1_0.SecureBoot',
    Id: 'SecureBoot',
    Name: 'UEFI Secure Boot',
    SecureBootEnable: system.secureBoot.enable,
    SecureBootCurrentBoot: system.secureBoot.currentBoot,
    SecureBootMode: system.secureBoot.mode,
    Actions: {
      '#SecureBoot.ResetKeys': {
        target: `${path}/Actions/SecureBoot.ResetKeys`,
        'ResetKeysType@Redfish.AllowableValues': RESET_KEYS_TYPES,
      },
    },
  };
}

export function registerSecureBootRoutes(router: Router, model: EmulatorModel): void {
  const base = `${SYSTEMS_PATH}/{system}/SecureBoot`;

  router.on('GET', base, (ctx, params) =>
    resourceReply(
      secureBootResource(lookup(model.systemsById, params.system as string, ctx)),
      'GET, PATCH',
    ),
  );

  router.on('PATCH', base, (ctx, params) => {
    const system = lookup(model.systemsById, params.system as string, ctx);
    const current = secureBootResource(system);
    requireCurrentEtag(model, ctx, current);
    const body = objectBody(ctx);
    for (const [name, value] of Object.entries(body)) {
      if (name.startsWith('@')) continue;
      if (name !== 'SecureBootEnable') {
        const id = name in current ? 'PropertyNotWritable' : 'PropertyUnknown';
        throw badRequest(id, [name], [`#/${name}`]);
      }
      if (typeof value !== 'boolean') {
        throw badRequest(
          'PropertyValueTypeError',
          [JSON.stringify(value) ?? 'null', name],
          [`#/${name}`],
        );
      }
    }
    if (typeof body.SecureBootEnable === 'boolean') {
      system.secureBoot.enable = body.SecureBootEnable;
    }
    return resourceReply(secureBootResource(system), 'GET, PATCH');
  });

  const resetKeys = 'SecureBoot.ResetKeys';
  router.on('POST', `${base}/Actions/${resetKeys}`, (ctx, params) => {
    const system = lookup(model.systemsById, params.system as string, ctx);
    const body = objectBody(ctx);
    rejectUnknownParameters(resetKeys, body, ['ResetKeysType']);
    const type = body.ResetKeysType;
    if (type === undefined) {
      throw badRequest('ActionParameterMissing', [resetKeys, 'ResetKeysType'], ['#/ResetKeysType']);
    }
    if (!RESET_KEYS_TYPES.includes(type as ResetKeysType)) {
      throw badRequest(
        'ActionParameterValueNotInList',
        [String(type), 'ResetKeysType', resetKeys],
        ['#/ResetKeysType'],
      );
    }
    system.secureBoot.resetKeys(type as ResetKeysType);
    return NO_CONTENT;
  });
}
