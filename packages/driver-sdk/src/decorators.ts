/**
 * Method decorators that declare vendor passthru methods and deploy/clean steps. They work with
 * both TypeScript's standard decorators and `experimentalDecorators`: the declaration is kept on
 * the method itself, where the conductor reads it.
 */
import type { TaskContext } from './task.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface PassthruOptions {
  /** HTTP methods the method answers; POST when not given. */
  httpMethods?: readonly HttpMethod[];
  /** Async methods answer 202 at once and run after; sync ones answer 200 with their value. */
  async?: boolean;
  /** Node methods take the exclusive lock unless this is false (then a shared lock). */
  requireExclusiveLock?: boolean;
  description?: string;
  /** Return the value as the raw response body instead of JSON. */
  attach?: boolean;
}

/** A passthru method as the API lists it. */
export interface PassthruMethodInfo {
  name: string;
  httpMethods: readonly HttpMethod[];
  async: boolean;
  requireExclusiveLock: boolean;
  description: string;
  attach: boolean;
  scope: 'node' | 'driver';
}

export interface StepOptions {
  priority: number;
  /** Arguments the step takes: name → { description, required }. */
  argsinfo?: Readonly<Record<string, { description: string; required?: boolean }>> | null;
  /** Clean steps only: whether the step may be aborted while it runs. */
  abortable?: boolean;
  /** Whether the step needs the node booted into the deploy ramdisk. */
  requiresRamdisk?: boolean;
}

export type StepKind = 'deploy' | 'clean';

/** A service step's info (API 1.87); kept apart from StepKind so that type stays as drivers know it. */
export interface ServiceStepInfo extends Omit<StepInfo, 'kind'> {
  kind: 'service';
}

export interface StepInfo {
  kind: StepKind;
  name: string;
  priority: number;
  argsinfo: StepOptions['argsinfo'] | null;
  abortable: boolean;
  requiresRamdisk: boolean;
}

/** A node passthru method: `(task, body, httpMethod)`. */
export type NodePassthruMethod = (
  task: TaskContext,
  body: unknown,
  httpMethod: HttpMethod,
) => unknown;
/** A driver passthru method: `(body, httpMethod)`; no node, no lock. */
export type DriverPassthruMethod = (body: unknown, httpMethod: HttpMethod) => unknown;
/** A deploy, clean or service step: `(task, args)`. */
export type StepMethod = (task: TaskContext, args: Record<string, unknown>) => unknown;

const PASSTHRU = Symbol.for('galvanic.driver-sdk.passthru');
const STEP = Symbol.for('galvanic.driver-sdk.step');

/** A method may be both a deploy step and a clean step (a BIOS setting, say): one mark per kind. */
type Marked = {
  [PASSTHRU]?: PassthruMethodInfo;
  [STEP]?: Partial<Record<StepKind, StepInfo>> & { service?: ServiceStepInfo };
};

/** A decorator usable in both decorator modes. */
export interface MethodDecorator<M> {
  <T extends M>(value: T, context: ClassMethodDecoratorContext): T;
  (target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
}

function decorator<M>(mark: (fn: Marked, name: string) => void): MethodDecorator<M> {
  return ((target: unknown, context: unknown, descriptor?: PropertyDescriptor) => {
    if (descriptor !== undefined) {
      mark(descriptor.value as Marked, String(context as string | symbol));
      return descriptor;
    }
    const ctx = context as ClassMethodDecoratorContext;
    if (ctx.kind !== 'method') throw new TypeError('Galvanic decorators apply to methods only');
    mark(target as Marked, String(ctx.name));
    return target;
  }) as MethodDecorator<M>;
}

function passthruInfo(
  name: string,
  options: PassthruOptions,
  scope: 'node' | 'driver',
): PassthruMethodInfo {
  return {
    name,
    httpMethods: options.httpMethods ?? ['POST'],
    async: options.async ?? true,
    requireExclusiveLock: scope === 'node' ? (options.requireExclusiveLock ?? true) : false,
    description: options.description ?? '',
    attach: options.attach ?? false,
    scope,
  };
}

/** Declares a node vendor passthru method: `/v1/nodes/{node}/vendor_passthru?method=<name>`. */
export function passthru(options: PassthruOptions = {}): MethodDecorator<NodePassthruMethod> {
  return decorator((fn, name) => {
    fn[PASSTHRU] = passthruInfo(name, options, 'node');
  });
}

/** Declares a driver vendor passthru method: `/v1/drivers/{driver}/vendor_passthru?method=<name>`. */
export function driverPassthru(
  options: Omit<PassthruOptions, 'requireExclusiveLock'> = {},
): MethodDecorator<DriverPassthruMethod> {
  return decorator((fn, name) => {
    fn[PASSTHRU] = passthruInfo(name, options, 'driver');
  });
}

function stepDecorator(
  kind: StepKind | 'service',
  options: StepOptions,
): MethodDecorator<StepMethod> {
  if (!Number.isInteger(options.priority) || options.priority < 0) {
    throw new TypeError(`a ${kind} step priority must be a non-negative integer`);
  }
  return decorator((fn, name) => {
    const info = {
      name,
      priority: options.priority,
      argsinfo: options.argsinfo ?? null,
      abortable: options.abortable ?? false,
      requiresRamdisk: options.requiresRamdisk ?? true,
    };
    fn[STEP] =
      kind === 'service'
        ? { ...fn[STEP], service: { ...info, kind } }
        : { ...fn[STEP], [kind]: { ...info, kind } };
  });
}

/** Declares a deploy step. The main `deploy` step has priority 100 by convention. */
export function deployStep(options: StepOptions): MethodDecorator<StepMethod> {
  return stepDecorator('deploy', options);
}

/** Declares a clean step; priority 0 means it runs only when asked for (manual cleaning). */
export function cleanStep(options: StepOptions): MethodDecorator<StepMethod> {
  return stepDecorator('clean', options);
}

/**
 * Declares a service step (API 1.87): run on an `active` node only when a client names it in
 * `service_steps` or a runbook, so its priority is informational and defaults to 0. Steps with
 * `requiresRamdisk: false` may run when servicing disables the ramdisk (API 1.108).
 */
export function serviceStep(options: Partial<StepOptions> = {}): MethodDecorator<StepMethod> {
  return stepDecorator('service', { ...options, priority: options.priority ?? 0 });
}

/** Every own and inherited method of an object, most derived first, each name once. */
function methodsOf(instance: object): Map<string, Marked> {
  const found = new Map<string, Marked>();
  for (
    let proto = Object.getPrototypeOf(instance) as object | null;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || found.has(key)) continue;
      const value = Object.getOwnPropertyDescriptor(proto, key)?.value as unknown;
      if (typeof value === 'function') found.set(key, value as Marked);
    }
  }
  return found;
}

/** The passthru methods an interface declares, by name. */
export function passthruMethodsOf(instance: object): Map<string, PassthruMethodInfo> {
  const methods = new Map<string, PassthruMethodInfo>();
  for (const [key, fn] of methodsOf(instance)) {
    const info = fn[PASSTHRU];
    if (info) methods.set(key, info);
  }
  return methods;
}

/** The deploy or clean steps an interface declares. */
export function stepsOf(instance: object, kind: StepKind): StepInfo[] {
  const steps: StepInfo[] = [];
  for (const [, fn] of methodsOf(instance)) {
    const info = fn[STEP]?.[kind];
    if (info) steps.push(info);
  }
  return steps;
}

/** The service steps an interface declares (API 1.87). */
export function serviceStepsOf(instance: object): ServiceStepInfo[] {
  const steps: ServiceStepInfo[] = [];
  for (const [, fn] of methodsOf(instance)) {
    const info = fn[STEP]?.service;
    if (info) steps.push(info);
  }
  return steps;
}
