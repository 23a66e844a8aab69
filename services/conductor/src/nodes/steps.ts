import type { DriverRegistry, ListedStep, ListedStepKind } from '@galvanic/driver-loader';
import { STEP_WAIT, type InterfaceKind, type StepKind } from '@galvanic/driver-sdk';
import { InvalidParameterValue } from '@galvanic/errors';
import { cacheBiosSettingsAfter } from '../workflows/bios';
import { cacheFirmwareComponents } from '../workflows/firmware';
import type { NodeTask } from './task';

/** A step a client asked for: Ironic's `{interface, step, args, priority?}`. */
export interface RequestedStep {
  interface: string;
  step: string;
  args?: Record<string, unknown>;
  priority?: number;
}

/** The steps a node runs automatically: those its interfaces declare with a priority above zero. */
export function automaticSteps(
  drivers: DriverRegistry,
  task: NodeTask,
  kind: StepKind,
): ListedStep[] {
  return drivers
    .steps(kind, task.context.driver.interfaceNames)
    .filter((step) => step.priority > 0);
}

/**
 * Checks requested steps against those the node's interfaces declare, as Ironic does. With
 * `disableRamdisk` (manual cleaning 1.70, servicing 1.108) every step must run without the ramdisk.
 */
export function checkRequestedSteps(
  drivers: DriverRegistry,
  task: NodeTask,
  kind: ListedStepKind,
  requested: readonly Record<string, unknown>[],
  disableRamdisk = false,
): (ListedStep & { args: Record<string, unknown> })[] {
  const declared = drivers.steps(kind, task.context.driver.interfaceNames);
  return requested.map((raw) => {
    const step = raw as Partial<RequestedStep>;
    // Servicing's `service hold` is not implemented: a `hold` service step is refused as unknown.
    if (kind !== 'service' && isHoldStep(step)) return holdStep(step);
    const match = declared.find((d) => d.interface === step.interface && d.step === step.step);
    if (!match) {
      throw new InvalidParameterValue(
        `No ${kind} step "${String(step.step)}" on the ${String(step.interface)} interface of node ${task.node.uuid}. ` +
          `Its ${kind} steps are: ${declared.map((d) => `${d.interface}.${d.step}`).join(', ') || 'none'}.`,
      );
    }
    const args = (step.args ?? {}) as Record<string, unknown>;
    for (const [name, info] of Object.entries(
      (match.argsinfo ?? {}) as Record<string, { required?: boolean }>,
    )) {
      if (info.required && !(name in args)) {
        throw new InvalidParameterValue(
          `${kind} step ${match.interface}.${match.step} needs the argument "${name}".`,
        );
      }
    }
    if (disableRamdisk && match.requiresRamdisk !== false) {
      throw new InvalidParameterValue(
        `${kind} step ${match.interface}.${match.step} requires booting a ramdisk, and the ramdisk is disabled.`,
      );
    }
    // A requested step runs at the priority it asks for (deploy templates and deploy_steps).
    const priority = typeof step.priority === 'number' ? step.priority : match.priority;
    return { ...match, args, priority };
  });
}

/** A step as it runs, and as a node waiting on an agent keeps the rest of its steps. */
export type RunnableStep = ListedStep & { args?: Record<string, unknown> };

/**
 * `hold` is a reserved step name (API 1.85): no driver runs it; the conductor parks the node in
 * `clean hold` / `deploy hold` until the `unhold` verb.
 */
function isHoldStep(step: Partial<RequestedStep>): boolean {
  return step.step === 'hold' && STEP_INTERFACES.includes(String(step.interface));
}

/** The interfaces Ironic runs clean and deploy steps on, where `hold` may be put too. */
const STEP_INTERFACES: readonly string[] = [
  'vendor',
  'power',
  'management',
  'firmware',
  'deploy',
  'bios',
  'raid',
];

function holdStep(step: Partial<RequestedStep>): RunnableStep & { args: Record<string, unknown> } {
  return {
    interface: step.interface as InterfaceKind,
    step: 'hold',
    priority: typeof step.priority === 'number' ? step.priority : 0,
    argsinfo: null,
    args: {},
  };
}

/**
 * How a run of steps ended: all of them ran, one waits for the node's agent, or a `hold` step
 * parked the node until `unhold`.
 */
export type StepsOutcome = 'done' | 'wait' | 'held';

/** Ironic's driver_internal_info keys for the steps of a run and the one running. */
function stepKeys(kind: ListedStepKind): { list: string; index: string } {
  return { list: `${kind}_steps`, index: `${kind}_step_index` };
}

const STEP_COLUMN = {
  clean: 'clean_step',
  deploy: 'deploy_step',
  service: 'service_step',
} as const satisfies Record<ListedStepKind, string>;

/**
 * Runs steps in order, recording the current one in `clean_step` / `deploy_step` /
 * `service_step` as Ironic does.
 * A step that returns STEP_WAIT leaves the node waiting for its agent: the steps and the index of
 * the waiting one are kept in driver_internal_info, for `resumeSteps` when the agent calls back.
 * A `hold` step keeps them the same way and parks the node until `unhold`.
 */
export async function runSteps(
  task: NodeTask,
  kind: ListedStepKind,
  steps: readonly RunnableStep[],
  startAt = 0,
): Promise<StepsOutcome> {
  const column = STEP_COLUMN[kind];
  const keys = stepKeys(kind);
  for (let index = startAt; index < steps.length; index++) {
    const step = steps[index]!;
    task.context.signal.throwIfAborted();
    const current = {
      interface: step.interface,
      step: step.step,
      priority: step.priority,
      args: step.args ?? {},
    };
    if (step.step === 'hold') {
      // Kept as for an agent's wait: `unhold` leads to the wait state and resumeSteps goes on.
      const internal = task.context.node.driverInternalInfo;
      internal[keys.list] = steps;
      internal[keys.index] = index;
      await task.processEvent('hold', { changes: { [column]: current } });
      return 'held';
    }
    await task.save({ [column]: current });
    const implementation = task.interfaceOf(step.interface as InterfaceKind);
    const run: unknown = Reflect.get(implementation, step.step);
    if (typeof run !== 'function') {
      throw new InvalidParameterValue(
        `The ${step.interface} interface of node ${task.node.uuid} has no ${kind} step ${step.step}.`,
      );
    }
    const result: unknown = await Reflect.apply(run, implementation, [
      task.context,
      step.args ?? {},
    ]);
    if (result === STEP_WAIT) {
      const internal = task.context.node.driverInternalInfo;
      internal[keys.list] = steps;
      internal[keys.index] = index;
      await task.processEvent('wait');
      return 'wait';
    }
    await cacheBiosSettingsAfter(task, step);
    // As Ironic's firmware steps do: the components are read again after an update.
    if (step.interface === 'firmware' && step.step === 'update')
      await cacheFirmwareComponents(task);
  }
  const internal = task.context.node.driverInternalInfo;
  delete internal[keys.list];
  delete internal[keys.index];
  await task.save({ [column]: {} });
  return 'done';
}

/**
 * Goes on with the steps of a node whose waiting step has finished (its agent said so): the node
 * moves back from its wait state and the steps after the waiting one run.
 */
export async function resumeSteps(task: NodeTask, kind: ListedStepKind): Promise<StepsOutcome> {
  const keys = stepKeys(kind);
  const internal = task.context.node.driverInternalInfo;
  const steps = internal[keys.list];
  const index = internal[keys.index];
  if (!Array.isArray(steps) || typeof index !== 'number') {
    throw new InvalidParameterValue(
      `Node ${task.node.uuid} has no ${kind} steps in progress to resume.`,
    );
  }
  await task.processEvent('resume');
  return runSteps(task, kind, steps as RunnableStep[], index + 1);
}

/**
 * Ironic's last_error when a clean or deploy operation is aborted, naming the step it was in
 * (`current` is the node's clean_step / deploy_step).
 */
export function abortedOperationError(kind: StepKind, current: Record<string, unknown>): string {
  const step = current as { interface?: string; step?: string };
  const during =
    step.step === undefined
      ? ''
      : ` during or after the completion of step "${step.interface}.${step.step}"`;
  return `By request, the ${kind} operation was aborted${during}`;
}

/** Forgets the steps of a run that was aborted while it waited or was held. */
export function forgetSteps(task: NodeTask, kind: StepKind): void {
  const keys = stepKeys(kind);
  const internal = task.context.node.driverInternalInfo;
  delete internal[keys.list];
  delete internal[keys.index];
}
