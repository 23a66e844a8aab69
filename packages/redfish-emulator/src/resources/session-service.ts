/** SessionService and Sessions: POST creates a session (X-Auth-Token, Location), DELETE ends it. */
import type { Authenticator } from '../auth';
import { SESSIONS_PATH } from '../auth';
import { badRequest, notFound } from '../errors';
import type { Router } from '../http/router';
import type { EmulatorModel } from '../model';
import type { SessionRecord } from '../sessions';
import { SESSION_TIMEOUT_RANGE } from '../sessions';
import { collectionReply, objectBody, ref, requireCurrentEtag, resourceReply } from './common';

const SESSION_SERVICE_PATH = '/redfish/v1/SessionService';

function sessionResource(session: SessionRecord): object {
  return {
    '@odata.id': `${SESSIONS_PATH}/${session.id}`,
    '@odata.type': '#Session.v1_7_1.Session',
    Id: session.id,
    Name: 'User Session',
    Description: 'Manager User Session',
    UserName: session.userName,
    Password: null,
    CreatedTime: session.createdTime,
    SessionType: 'Redfish',
  };
}

function sessionServiceResource(model: EmulatorModel): object {
  return {
    '@odata.id': SESSION_SERVICE_PATH,
    '@odata.type': '#SessionService.v1_1_9.SessionService',
    Id: 'SessionService',
    Name: 'Session Service',
    Description: 'Session Service',
    ServiceEnabled: true,
    SessionTimeout: model.sessions.timeoutSeconds,
    Status: { State: 'Enabled', Health: 'OK' },
    Sessions: ref(SESSIONS_PATH),
  };
}

export function registerSessionRoutes(
  router: Router,
  model: EmulatorModel,
  authenticator: Authenticator,
): void {
  router.on('GET', SESSION_SERVICE_PATH, () =>
    resourceReply(sessionServiceResource(model), 'GET, PATCH'),
  );

  router.on('PATCH', SESSION_SERVICE_PATH, (ctx) => {
    requireCurrentEtag(model, ctx, sessionServiceResource(model));
    const body = objectBody(ctx);
    for (const [name, value] of Object.entries(body)) {
      if (name.startsWith('@')) continue;
      if (name !== 'SessionTimeout') {
        const id =
          name in sessionServiceResource(model) ? 'PropertyNotWritable' : 'PropertyUnknown';
        throw badRequest(id, [name], [`#/${name}`]);
      }
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw badRequest(
          'PropertyValueTypeError',
          [JSON.stringify(value) ?? 'null', name],
          [`#/${name}`],
        );
      }
      if (value < SESSION_TIMEOUT_RANGE.min || value > SESSION_TIMEOUT_RANGE.max) {
        throw badRequest('PropertyValueOutOfRange', [String(value), name], [`#/${name}`]);
      }
    }
    if (typeof body.SessionTimeout === 'number')
      model.sessions.timeoutSeconds = body.SessionTimeout;
    return resourceReply(sessionServiceResource(model), 'GET, PATCH');
  });

  router.on('GET', SESSIONS_PATH, (ctx) =>
    collectionReply(
      ctx,
      {
        path: SESSIONS_PATH,
        type: 'SessionCollection',
        name: 'Session Collection',
        members: model.sessions.list().map((session) => `${SESSIONS_PATH}/${session.id}`),
      },
      model.settings.pageSize,
    ),
  );

  router.on('POST', SESSIONS_PATH, (ctx) => {
    const body = objectBody(ctx);
    for (const name of ['UserName', 'Password']) {
      if (body[name] === undefined) {
        throw badRequest('CreateFailedMissingReqProperties', [name], [`#/${name}`]);
      }
      if (typeof body[name] !== 'string') {
        const shown = name === 'Password' ? '<hidden>' : (JSON.stringify(body[name]) ?? 'null');
        throw badRequest('PropertyValueTypeError', [shown, name], [`#/${name}`]);
      }
    }
    if (!authenticator.checkPassword(body.UserName as string, body.Password as string)) {
      throw authenticator.unauthorized();
    }
    const session = model.sessions.create(body.UserName as string);
    const location = `${SESSIONS_PATH}/${session.id}`;
    return {
      status: 201,
      body: sessionResource(session),
      etag: true,
      headers: { 'X-Auth-Token': session.token, Location: location },
    };
  });

  router.on('GET', `${SESSIONS_PATH}/{session}`, (ctx, params) => {
    const session = model.sessions.get(params.session as string);
    if (!session) throw notFound(ctx.path);
    return resourceReply(sessionResource(session), 'GET, DELETE');
  });

  router.on('DELETE', `${SESSIONS_PATH}/{session}`, (ctx, params) => {
    const session = model.sessions.get(params.session as string);
    if (!session) throw notFound(ctx.path);
    model.sessions.delete(session.id);
    return { status: 204 };
  });
}
