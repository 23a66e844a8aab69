import { Router, type Request, type Response } from 'express';
import {
  driverPropertiesMethod,
  driverVendorMethodsMethod,
  driverVendorPassthruMethod,
  type DriverArgs,
} from '@galvanic/conductor-api';
import { RoutedCalls, type ConductorDirectory } from '@galvanic/cluster';
import type { ConductorStore } from '@galvanic/db';
import { DriverNotFound, InvalidParameterValue, NotAcceptable } from '@galvanic/errors';
import type { RpcClient, RpcMethod } from '@galvanic/rpc';
import { atLeast } from '../http/microversion';
import { booleanWord } from '../resources/rules';
import * as v from '../resources/versions';
import { baseUrl, resourceLinks } from '../http/links';
import { methodNotAllowed } from '../http/errors';
import { singleQueryParam } from '../http/collection';
import { passthruHttpMethod, passthruMethodName, sendPassthruOutcome } from './passthru';

/** Interface kinds the driver API shows, with the microversion that added each. */
const INTERFACE_FIELDS: readonly [string, number][] = [
  ['boot', v.MINOR_30_DYNAMIC_DRIVERS],
  ['console', v.MINOR_30_DYNAMIC_DRIVERS],
  ['deploy', v.MINOR_30_DYNAMIC_DRIVERS],
  ['inspect', v.MINOR_30_DYNAMIC_DRIVERS],
  ['management', v.MINOR_30_DYNAMIC_DRIVERS],
  ['network', v.MINOR_30_DYNAMIC_DRIVERS],
  ['power', v.MINOR_30_DYNAMIC_DRIVERS],
  ['raid', v.MINOR_30_DYNAMIC_DRIVERS],
  ['vendor', v.MINOR_30_DYNAMIC_DRIVERS],
  ['storage', v.MINOR_33_STORAGE_INTERFACE],
  ['rescue', v.MINOR_38_RESCUE_INTERFACE],
  ['bios', v.MINOR_40_BIOS_INTERFACE],
];

interface DriverSummary {
  name: string;
  hosts: string[];
  enabled: Map<string, string[]>;
  defaults: Map<string, string>;
}

/** Hardware types loaded by live conductors, each with its hosts and interfaces. */
async function liveDrivers(store: ConductorStore): Promise<Map<string, DriverSummary>> {
  const [conductors, interfaces] = await Promise.all([
    store.listAlive(),
    store.listAliveInterfaces(),
  ]);
  const drivers = new Map<string, DriverSummary>();
  for (const conductor of conductors) {
    for (const name of conductor.drivers) {
      let driver = drivers.get(name);
      if (!driver) {
        driver = { name, hosts: [], enabled: new Map(), defaults: new Map() };
        drivers.set(name, driver);
      }
      driver.hosts.push(conductor.hostname);
    }
  }
  for (const row of interfaces) {
    const driver = drivers.get(row.hardwareType);
    if (!driver) continue;
    const enabled = driver.enabled.get(row.interfaceType) ?? [];
    if (!enabled.includes(row.interfaceName)) enabled.push(row.interfaceName);
    driver.enabled.set(row.interfaceType, enabled);
    if (row.isDefault && !driver.defaults.has(row.interfaceType)) {
      driver.defaults.set(row.interfaceType, row.interfaceName);
    }
  }
  for (const driver of drivers.values()) driver.hosts.sort();
  return new Map([...drivers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function requireVersion(req: Request, minor: number): void {
  if (!atLeast(req, minor)) {
    throw new NotAcceptable(
      `Request not acceptable. The minimal required API version should be 1.${minor}`,
    );
  }
}

function toApi(
  req: Request,
  driver: DriverSummary,
  base: string,
  detail: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: driver.name,
    hosts: driver.hosts,
    links: resourceLinks(base, 'drivers', driver.name),
  };
  if (atLeast(req, v.MINOR_14_LINKS_NODESTATES_DRIVERPROPERTIES))
    body.properties = resourceLinks(base, 'drivers', `${driver.name}/properties`);
  if (atLeast(req, v.MINOR_30_DYNAMIC_DRIVERS)) {
    body.type = 'dynamic';
    if (detail) {
      for (const [kind, minor] of INTERFACE_FIELDS) {
        if (!atLeast(req, minor)) continue;
        body[`default_${kind}_interface`] = driver.defaults.get(kind) ?? null;
        body[`enabled_${kind}_interfaces`] = driver.enabled.get(kind) ?? [];
      }
    }
  }
  return body;
}

/** `/v1/drivers`: hardware types live conductors have loaded, their properties and methods. */
export function driversRouter(
  store: ConductorStore,
  directory: ConductorDirectory,
  rpc: RpcClient,
  publicEndpoint: string | undefined,
): Router {
  const router = Router();
  const calls = new RoutedCalls(directory, rpc);
  const callAConductor = <A, R>(
    req: Request,
    driver: string,
    method: RpcMethod<A, R>,
    args: A,
  ): Promise<R> =>
    calls.call(
      (d) => d.hostForDriver(driver),
      method,
      args,
      { requestId: req.requestId },
      {
        driver,
      },
    );

  const findDriver = async (name: string): Promise<DriverSummary> => {
    const driver = (await liveDrivers(store)).get(name);
    if (!driver) throw new DriverNotFound(name);
    return driver;
  };

  router
    .route('/')
    .get(async (req, res) => {
      const type = singleQueryParam(req, 'type');
      const detailText = singleQueryParam(req, 'detail');
      if (type !== undefined || detailText !== undefined)
        requireVersion(req, v.MINOR_30_DYNAMIC_DRIVERS);
      if (type !== undefined && type !== 'classic' && type !== 'dynamic') {
        throw new InvalidParameterValue(
          `Invalid value for type: ${type}. Acceptable values are 'classic' and 'dynamic'.`,
        );
      }
      const detail = detailText !== undefined && booleanWord(detailText) === true;
      const base = baseUrl(req, publicEndpoint);
      const drivers = type === 'classic' ? [] : [...(await liveDrivers(store)).values()];
      res.json({ drivers: drivers.map((driver) => toApi(req, driver, base, detail)) });
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/:name')
    .get(async (req, res) => {
      const driver = await findDriver(req.params.name!);
      res.json(toApi(req, driver, baseUrl(req, publicEndpoint), true));
    })
    .all(methodNotAllowed(['GET']));

  // What only a conductor that loaded the driver can answer: asked of any such conductor.
  const askAConductor =
    <R>(method: RpcMethod<DriverArgs, R>) =>
    async (req: Request<{ name: string }>, res: Response) => {
      const driver = await findDriver(req.params.name);
      res.json(await callAConductor(req, driver.name, method, { driver: driver.name }));
    };
  router
    .route('/:name/properties')
    .get(askAConductor(driverPropertiesMethod))
    .all(methodNotAllowed(['GET']));
  router
    .route('/:name/vendor_passthru/methods')
    .get(askAConductor(driverVendorMethodsMethod))
    .all(methodNotAllowed(['GET']));

  router.all(
    ['/:name/vendor_passthru', '/:name/vendor_passthru/:method'],
    async (req: Request<{ name: string }>, res) => {
      const method = passthruMethodName(req as Request);
      const driver = await findDriver(req.params.name);
      const outcome = await callAConductor(
        req as Request,
        driver.name,
        driverVendorPassthruMethod,
        {
          driver: driver.name,
          method,
          http_method: passthruHttpMethod(req as Request, method),
          body: req.body as unknown,
        },
      );
      sendPassthruOutcome(res, outcome);
    },
  );

  return router;
}
