import type { DriverRegistry, ListedStep } from '@galvanic/driver-loader';
import type { InterfaceKind, StepKind } from '@galvanic/driver-sdk';
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

/** Checks requested steps against those the node's interfaces declare, as Ironic does. */
export function checkRequestedSteps(
  drivers: DriverRegistry,
  task: NodeTask,
  kind: StepKind,
  requested: readonly Record<string, unknown>[],
): (ListedStep & { args: Record<string, unknown> })[] {
  const declared = drivers.steps(kind, task.context.driver.interfaceNames);
  return requested.map((raw) => {
    const step = raw as Partial<RequestedStep>;
    if (isHoldStep(step)) return holdStep(step);
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
    // A requested step runs at the priority it asks for (deploy templates and deploy_steps).
    const priority = typeof step.priority === 'number' ? step.priority : match.priority;
    return { ...match, args, priority };
  });
}

/**
 * `hold` is a reserved step name (API 1.85): on any interface, no driver runs it; the conductor
 * parks the node in `clean hold` / `deploy hold` until the `unhold` verb.
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

export type RunnableStep = ListedStep & { args?: Record<string, unknown> };

/** Where the steps of a held run wait (driver_internal_info), under Ironic's key names. */
const PENDING_STEPS_KEY = { clean: 'clean_steps', deploy: 'deploy_steps' } as const;
const HOLD_INDEX_KEY = { clean: 'clean_step_index', deploy: 'deploy_step_index' } as const;

/** Whether a run of steps went to its end or stopped at a `hold` step. */
export type StepsOutcome = 'completed' | 'held';

/**
 * Runs steps in order, recording the current one in `clean_step` / `deploy_step` as Ironic does.
 * A `hold` step keeps the steps and its place in driver_internal_info, fires `hold` and stops:
 * `resumeHeldSteps` goes on from there.
 */
export async function runSteps(
  task: NodeTask,
  kind: StepKind,
  steps: readonly RunnableStep[],
  startAt = 0,
): Promise<StepsOutcome> {
  const column = kind === 'clean' ? 'clean_step' : 'deploy_step';
  const internal = task.context.node.driverInternalInfo;
  for (const [index, step] of steps.entries()) {
    if (index < startAt) continue;
    task.context.signal.throwIfAborted();
    const current = {
      interface: step.interface,
      step: step.step,
      priority: step.priority,
      args: step.args ?? {},
    };
    if (step.step === 'hold') {
      internal[PENDING_STEPS_KEY[kind]] = steps.map((s) => ({
        interface: s.interface,
        step: s.step,
        priority: s.priority,
        args: s.args ?? {},
      }));
      internal[HOLD_INDEX_KEY[kind]] = index;
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
    await Reflect.apply(run, implementation, [task.context, step.args ?? {}]);
    await cacheBiosSettingsAfter(task, step);
    // As Ironic's firmware steps do: the components are read again after an update.
    if (step.interface === 'firmware' && step.step === 'update')
      await cacheFirmwareComponents(task);
  }
  delete internal[PENDING_STEPS_KEY[kind]];
  delete internal[HOLD_INDEX_KEY[kind]];
  await task.save({ [column]: {} });
  return 'completed';
}

/**
 * After `unhold` (the node in `clean wait` / `wait call-back`): the node resumes into `cleaning` /
 * `deploying` and runs the steps that followed the `hold` step.
 */
export async function resumeHeldSteps(task: NodeTask, kind: StepKind): Promise<StepsOutcome> {
  const internal = task.context.node.driverInternalInfo;
  const steps = (internal[PENDING_STEPS_KEY[kind]] ?? []) as RunnableStep[];
  const heldAt = internal[HOLD_INDEX_KEY[kind]];
  await task.processEvent('resume');
  return runSteps(task, kind, steps, typeof heldAt === 'number' ? heldAt + 1 : steps.length);
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

/** Forgets the steps of a held run, when it is aborted. */
export function forgetHeldSteps(task: NodeTask, kind: StepKind): void {
  const internal = task.context.node.driverInternalInfo;
  delete internal[PENDING_STEPS_KEY[kind]];
  delete internal[HOLD_INDEX_KEY[kind]];
}
