import {
  driverVendorPassthruMethod,
  nodeVendorMethodsMethod,
  nodeVendorPassthruMethod,
  type PassthruMethodListing,
  type PassthruOutcome,
} from '@galvanic/conductor-api';
import type { DriverRegistry } from '@galvanic/driver-loader';
import {
  passthruMethodsOf,
  type HttpMethod,
  type PassthruMethodInfo,
  type VendorInterface,
} from '@galvanic/driver-sdk';
import {
  DriverNotFound,
  InvalidParameterValue,
  UnsupportedDriverExtension,
} from '@galvanic/errors';
import type { RpcServer } from '@galvanic/rpc';
import type { NodeTaskManager } from '../nodes/manager';
import type { NodeTask } from '../nodes/task';

type Callable = (...args: unknown[]) => unknown;

function listing(
  methods: Map<string, PassthruMethodInfo>,
  withLock: boolean,
): Record<string, PassthruMethodListing> {
  const out: Record<string, PassthruMethodListing> = {};
  for (const [name, info] of methods) {
    out[name] = {
      http_methods: [...info.httpMethods],
      async: info.async,
      description: info.description,
      attach: info.attach,
      ...(withLock ? { require_exclusive_lock: info.requireExclusiveLock } : {}),
    };
  }
  return out;
}

/** A vendor method by name, refused in Ironic's words when absent or not for this HTTP method. */
function resolveMethod(
  methods: Map<string, PassthruMethodInfo>,
  name: string,
  httpMethod: HttpMethod,
): PassthruMethodInfo {
  const info = methods.get(name);
  if (!info) throw new InvalidParameterValue(`No handler for method ${name}`);
  if (!info.httpMethods.includes(httpMethod)) {
    throw new InvalidParameterValue(`The method ${name} does not support HTTP ${httpMethod}`);
  }
  return info;
}

function nodeMethods(vendor: VendorInterface | undefined): Map<string, PassthruMethodInfo> {
  const methods = vendor ? passthruMethodsOf(vendor) : new Map<string, PassthruMethodInfo>();
  return new Map([...methods].filter(([, info]) => info.scope === 'node'));
}

function vendorOf(
  drivers: DriverRegistry,
  driver: string,
  vendorInterface: string | null,
): VendorInterface {
  const type = drivers.hardwareType(driver);
  if (!type) throw new DriverNotFound(driver);
  const name = vendorInterface ?? type.defaults.vendor;
  const vendor = drivers.implementation('vendor', name) as VendorInterface | undefined;
  if (!vendor) throw new UnsupportedDriverExtension(driver, 'vendor');
  return vendor;
}

/**
 * Vendor passthru, as Ironic runs it: the method must exist and take the HTTP method; it runs
 * under the exclusive lock unless it declares otherwise (then under a shared one, even while
 * another task holds the exclusive lock); the vendor interface checks the body first; async
 * methods are answered once accepted and run after, recording a failure in last_error; driver
 * methods take no lock at all.
 */
export function registerVendorHandlers(
  rpc: RpcServer,
  tasks: NodeTaskManager,
  drivers: DriverRegistry,
): void {
  rpc.register(nodeVendorMethodsMethod, async (args, ctx) =>
    tasks.withShared(args, ctx, async (task) =>
      listing(nodeMethods(task.interfaceOf<VendorInterface>('vendor')), true),
    ),
  );

  rpc.register(nodeVendorPassthruMethod, async (args, ctx): Promise<PassthruOutcome> => {
    const info = resolveMethod(
      nodeMethods(vendorOf(drivers, args.driver, args.vendor_interface)),
      args.method,
      args.http_method,
    );
    const invoke = async (task: NodeTask) => {
      const vendor = task.interfaceOf<VendorInterface>('vendor');
      const fn = (vendor as unknown as Record<string, Callable>)[args.method];
      if (typeof fn !== 'function')
        throw new InvalidParameterValue(`No handler for method ${args.method}`);
      return fn.call(vendor, task.context, args.body, args.http_method);
    };
    const check = async (task: NodeTask) =>
      task
        .interfaceOf<VendorInterface>('vendor')
        .validateCall(task.context, args.method, args.body);

    if (info.async) {
      if (info.requireExclusiveLock) {
        await tasks.startAsync(
          args,
          ctx,
          check,
          async (task) => void (await invoke(task)),
          async (task, error) => void (await task.save({ last_error: error.message })),
        );
      } else {
        await tasks.startShared(args, ctx, check, async (task) => void (await invoke(task)));
      }
      return { async: true, attach: info.attach };
    }
    const run = async (task: NodeTask) => {
      await check(task);
      return invoke(task);
    };
    const result = info.requireExclusiveLock
      ? await tasks.withExclusive(args, ctx, run)
      : await tasks.withShared(args, ctx, run);
    return { async: false, attach: info.attach, result: result ?? null };
  });

  rpc.register(driverVendorPassthruMethod, async (args, ctx): Promise<PassthruOutcome> => {
    const type = drivers.hardwareType(args.driver);
    if (!type) throw new DriverNotFound(args.driver);
    const vendor = vendorOf(drivers, args.driver, null);
    const info = resolveMethod(
      drivers.driverPassthruMethods(args.driver),
      args.method,
      args.http_method,
    );
    await vendor.validateCall(undefined, args.method, args.body);
    const fn = (vendor as unknown as Record<string, Callable>)[args.method]!;
    if (info.async) {
      tasks.runInBackground(ctx.requestId, `driver vendor method ${args.method}`, async () =>
        fn.call(vendor, args.body, args.http_method),
      );
      return { async: true, attach: info.attach };
    }
    const result = await fn.call(vendor, args.body, args.http_method);
    return { async: false, attach: info.attach, result: result ?? null };
  });
}
