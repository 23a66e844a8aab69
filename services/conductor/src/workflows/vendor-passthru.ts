import type {
  NodeVendorCall,
  PassthruCall,
  PassthruMethodListing,
  PassthruOutcome,
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
import type { NodeTask } from '../nodes/task';
import type { CallOrigin, NodeIdent, NodeTaskManager } from '../nodes/task-manager';

/** The methods as `GET .../vendor_passthru/methods` lists them; node methods name their lock. */
function listingOf(
  methods: Map<string, PassthruMethodInfo>,
  scope: 'node' | 'driver',
): Record<string, PassthruMethodListing> {
  const out: Record<string, PassthruMethodListing> = {};
  for (const [name, info] of methods) {
    out[name] = {
      http_methods: [...info.httpMethods],
      async: info.async,
      description: info.description,
      attach: info.attach,
      ...(scope === 'node' ? { require_exclusive_lock: info.requireExclusiveLock } : {}),
    };
  }
  return out;
}

/** A vendor method by name, refused in Ironic's words when absent or not for this HTTP method. */
function resolveMethod(
  methods: Map<string, PassthruMethodInfo>,
  call: PassthruCall,
): PassthruMethodInfo {
  const info = methods.get(call.method);
  if (!info) throw new InvalidParameterValue(`No handler for method ${call.method}`);
  if (!info.httpMethods.some((method: HttpMethod) => method === call.http_method)) {
    throw new InvalidParameterValue(
      `The method ${call.method} does not support HTTP ${call.http_method}`,
    );
  }
  return info;
}

/**
 * A vendor interface's node methods, read once per interface instance: its methods come from its
 * class, and reading the decorators walks the whole prototype chain, which every call paid.
 */
const nodeMethodsByVendor = new WeakMap<VendorInterface, Map<string, PassthruMethodInfo>>();

function nodeMethodsOf(vendor: VendorInterface | undefined): Map<string, PassthruMethodInfo> {
  if (!vendor) return new Map();
  let methods = nodeMethodsByVendor.get(vendor);
  if (!methods) {
    methods = new Map([...passthruMethodsOf(vendor)].filter(([, info]) => info.scope === 'node'));
    nodeMethodsByVendor.set(vendor, methods);
  }
  return methods;
}

/** Calls the vendor interface's method `name` with `args`; its value is the method's answer. */
async function invokeVendorMethod(
  vendor: VendorInterface,
  name: string,
  args: readonly unknown[],
): Promise<unknown> {
  const method: unknown = Reflect.get(vendor, name);
  if (typeof method !== 'function')
    throw new InvalidParameterValue(`No handler for method ${name}`);
  return (await Reflect.apply(method, vendor, args)) as unknown;
}

/** Sync methods answer with their value; async ones are answered once accepted and run after. */
async function dispatch(
  info: PassthruMethodInfo,
  run: { now(): Promise<unknown>; start(): Promise<void> },
): Promise<PassthruOutcome> {
  if (info.async) {
    await run.start();
    return { async: true, attach: info.attach };
  }
  const result = await run.now();
  return { async: false, attach: info.attach, result: result ?? null };
}

/** The driver-level vendor methods of a hardware type, as its `/methods` lists them. */
export function driverVendorMethods(
  drivers: DriverRegistry,
  driver: string,
): Record<string, PassthruMethodListing> {
  if (!drivers.hardwareType(driver)) throw new DriverNotFound(driver);
  return listingOf(drivers.driverPassthruMethods(driver), 'driver');
}

/**
 * Vendor passthru, node and driver methods alike, as Ironic runs it: the method must exist and
 * take the HTTP method; the vendor interface checks the body first; async methods are answered
 * once accepted and run after. Node methods run under the node's exclusive lock unless they
 * declare otherwise (then under a shared one, even while another task holds the exclusive lock),
 * and a failed async one is recorded in last_error; driver methods take no lock at all.
 */
export class VendorPassthru {
  constructor(
    private readonly tasks: NodeTaskManager,
    private readonly drivers: DriverRegistry,
  ) {}

  /** The vendor interface a node of `driver` uses: `vendorInterface`, else the type's default. */
  private vendorOf(driver: string, vendorInterface: string | null): VendorInterface {
    const type = this.drivers.hardwareType(driver);
    if (!type) throw new DriverNotFound(driver);
    const vendor = this.drivers.implementation('vendor', vendorInterface ?? type.defaults.vendor);
    if (!vendor) throw new UnsupportedDriverExtension(driver, 'vendor');
    return vendor as VendorInterface;
  }

  async nodeMethods(
    node: NodeIdent,
    call: CallOrigin,
  ): Promise<Record<string, PassthruMethodListing>> {
    return this.tasks.withShared(node, call, async (task) =>
      listingOf(nodeMethodsOf(task.interfaceOf<VendorInterface>('vendor')), 'node'),
    );
  }

  async callNodeMethod(request: NodeVendorCall, call: CallOrigin): Promise<PassthruOutcome> {
    const info = resolveMethod(
      nodeMethodsOf(this.vendorOf(request.driver, request.vendor_interface)),
      request,
    );
    const validate = async (task: NodeTask) =>
      task
        .interfaceOf<VendorInterface>('vendor')
        .validateCall(task.context, request.method, request.body);
    const invoke = (task: NodeTask) =>
      invokeVendorMethod(task.interfaceOf<VendorInterface>('vendor'), request.method, [
        task.context,
        request.body,
        request.http_method,
      ]);
    const validateThenInvoke = async (task: NodeTask) => {
      await validate(task);
      return invoke(task);
    };
    return dispatch(info, {
      now: () =>
        info.requireExclusiveLock
          ? this.tasks.withExclusive(request, call, validateThenInvoke)
          : this.tasks.withShared(request, call, validateThenInvoke),
      start: () =>
        info.requireExclusiveLock
          ? this.tasks.startAsync(
              request,
              call,
              validate,
              async (task) => void (await invoke(task)),
              async (task, error) => void (await task.save({ last_error: error.message })),
            )
          : this.tasks.startShared(request, call, validate, async (task) => {
              await invoke(task);
            }),
    });
  }

  async callDriverMethod(
    request: PassthruCall & { driver: string },
    call: CallOrigin,
  ): Promise<PassthruOutcome> {
    const vendor = this.vendorOf(request.driver, null);
    const info = resolveMethod(this.drivers.driverPassthruMethods(request.driver), request);
    await vendor.validateCall(undefined, request.method, request.body);
    const invoke = () =>
      invokeVendorMethod(vendor, request.method, [request.body, request.http_method]);
    return dispatch(info, {
      now: invoke,
      start: async () =>
        this.tasks.runInBackground(
          call.requestId,
          `driver vendor method ${request.method}`,
          invoke,
        ),
    });
  }
}
