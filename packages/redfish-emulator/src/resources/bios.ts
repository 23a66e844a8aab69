/**
 * Bios: current attributes (read-only), the settings object `/Bios/Settings` holding pending
 * attributes until the next boot, and the ResetBios / ChangePassword actions.
 *
 * `@Redfish.Settings.ETag` carries the settings object's current ETag: sushy sends that value as
 * If-Match when it PATCHes the settings object.
 */
import { badRequest } from '../errors';
import { etagOf, presentEtag } from '../http/etag';
import type { Router } from '../http/router';
import type { EmulatedSystem, EmulatorModel } from '../model';
import { SYSTEMS_PATH } from '../model';
import {
  NO_CONTENT,
  lookup,
  objectBody,
  ref,
  rejectUnknownParameters,
  requireCurrentEtag,
  resourceReply,
} from './common';
import { runAction } from './task-service';

const ATTRIBUTE_REGISTRY = 'BiosAttributeRegistry.v1_0_0';
const APPLY_TIMES = ['OnReset'] as const;

function settingsResource(system: EmulatedSystem): object {
  return {
    '@odata.id': `${system.path}/Bios/Settings`,
    '@odata.type': '#Bios.v1_2_1.Bios',
    Id: 'Settings',
    Name: 'BIOS Configuration Pending Settings',
    AttributeRegistry: ATTRIBUTE_REGISTRY,
    Attributes: system.bios.pending,
    '@Redfish.SettingsApplyTime': {
      '@odata.type': '#Settings.v1_3_5.PreferredApplyTime',
      ApplyTime: 'OnReset',
      'ApplyTime@Redfish.AllowableValues': APPLY_TIMES,
    },
  };
}

function biosResource(system: EmulatedSystem, weakEtags: boolean): object {
  const path = `${system.path}/Bios`;
  return {
    '@odata.id': path,
    '@odata.type': '#Bios.v1_2_1.Bios',
    Id: 'BIOS',
    Name: 'BIOS Configuration Current Settings',
    AttributeRegistry: ATTRIBUTE_REGISTRY,
    Attributes: system.bios.attributes,
    '@Redfish.Settings': {
      '@odata.type': '#Settings.v1_3_5.Settings',
      SettingsObject: ref(`${path}/Settings`),
      ETag: presentEtag(etagOf(settingsResource(system)), weakEtags),
      ...(system.bios.lastApplied ? { Time: system.bios.lastApplied } : {}),
      Messages: system.bios.applyMessages,
      SupportedApplyTimes: APPLY_TIMES,
    },
    Actions: {
      '#Bios.ResetBios': { target: `${path}/Actions/Bios.ResetBios` },
      '#Bios.ChangePassword': { target: `${path}/Actions/Bios.ChangePassword` },
    },
  };
}

export function registerBiosRoutes(router: Router, model: EmulatorModel): void {
  const base = `${SYSTEMS_PATH}/{system}/Bios`;

  router.on('GET', base, (ctx, params) =>
    resourceReply(
      biosResource(
        lookup(model.systemsById, params.system as string, ctx),
        model.settings.weakEtags,
      ),
      'GET',
    ),
  );

  router.on('GET', `${base}/Settings`, (ctx, params) =>
    resourceReply(
      settingsResource(lookup(model.systemsById, params.system as string, ctx)),
      'GET, PATCH',
    ),
  );

  router.on('PATCH', `${base}/Settings`, (ctx, params) => {
    const system = lookup(model.systemsById, params.system as string, ctx);
    requireCurrentEtag(model, ctx, settingsResource(system));
    const body = objectBody(ctx);
    for (const name of Object.keys(body)) {
      if (name === 'Attributes' || name === '@Redfish.SettingsApplyTime') continue;
      if (name.startsWith('@odata.')) continue;
      throw badRequest('PropertyUnknown', [name], [`#/${name}`]);
    }
    const applyTime = (body['@Redfish.SettingsApplyTime'] as { ApplyTime?: unknown } | undefined)
      ?.ApplyTime;
    if (applyTime !== undefined && applyTime !== 'OnReset') {
      throw badRequest(
        'PropertyValueNotInList',
        [String(applyTime), 'ApplyTime'],
        ['#/@Redfish.SettingsApplyTime/ApplyTime'],
      );
    }
    if ('Attributes' in body) system.bios.stage(body.Attributes);
    return resourceReply(settingsResource(system), 'GET, PATCH');
  });

  const resetBios = 'Bios.ResetBios';
  router.on('POST', `${base}/Actions/${resetBios}`, (ctx, params) => {
    const system = lookup(model.systemsById, params.system as string, ctx);
    rejectUnknownParameters(resetBios, objectBody(ctx), []);
    return runAction(model, resetBios, ctx, async () => {
      system.bios.resetToDefaults();
      return NO_CONTENT;
    });
  });

  const changePassword = 'Bios.ChangePassword';
  router.on('POST', `${base}/Actions/${changePassword}`, (ctx, params) => {
    lookup(model.systemsById, params.system as string, ctx);
    const body = objectBody(ctx);
    const parameters = ['PasswordName', 'OldPassword', 'NewPassword'];
    rejectUnknownParameters(changePassword, body, parameters);
    for (const name of parameters) {
      if (body[name] === undefined) {
        throw badRequest('ActionParameterMissing', [changePassword, name], [`#/${name}`]);
      }
      if (typeof body[name] !== 'string') {
        // The value is a password: never echoed back.
        throw badRequest(
          'ActionParameterValueTypeError',
          ['<hidden>', name, changePassword],
          [`#/${name}`],
        );
      }
    }
    return NO_CONTENT;
  });
}
