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

/** Runs steps in order, recording the current one in `clean_step` / `deploy_step` as Ironic does. */
export async function runSteps(
  task: NodeTask,
  kind: StepKind,
  steps: readonly (ListedStep & { args?: Record<string, unknown> })[],
): Promise<void> {
  const column = kind === 'clean' ? 'clean_step' : 'deploy_step';
  for (const step of steps) {
    task.context.signal.throwIfAborted();
    await task.save({
      [column]: {
        interface: step.interface,
        step: step.step,
        priority: step.priority,
        args: step.args ?? {},
      },
    });
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
  await task.save({ [column]: {} });
}
