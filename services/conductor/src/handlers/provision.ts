import { provisionMethod, type ProvisionArgs } from '@galvanic/conductor-api';
import type { CoreConfig } from '@galvanic/config';
import type { DriverRegistry } from '@galvanic/driver-loader';
import type {
  DeployInterface,
  InspectInterface,
  PowerInterface,
  RescueInterface,
} from '@galvanic/driver-sdk';
import {
  completionEvent,
  fireEvent,
  requestTransition,
  ADOPTING,
  CLEANING,
  DELETING,
  DEPLOYING,
  INSPECTING,
  RESCUING,
  UNRESCUING,
  VERIFYING,
  type ConductorEvent,
  type ProvisionState,
} from '@galvanic/node-states';
import type { PortStore } from '@galvanic/db';
import type { RpcServer } from '@galvanic/rpc';
import { recordInspection } from '../nodes/inspection';
import type { NodeTaskManager } from '../nodes/manager';
import type { NodeTask } from '../nodes/task';
import { automaticSteps, checkRequestedSteps, runSteps } from '../nodes/steps';

/** The steps a provisioning request named, if any; otherwise the automatic ones run. */
type RequestedSteps = Pick<ProvisionArgs, 'clean_steps' | 'deploy_steps'>;

function stateOf(task: NodeTask): ProvisionState {
  return task.node.provision_state as ProvisionState;
}

/** Moves the node by a conductor event and saves the state, its target and the time. */
async function advance(
  task: NodeTask,
  event: ConductorEvent,
  automatedClean: boolean,
): Promise<void> {
  const transition = fireEvent(stateOf(task), event, {
    currentTarget: task.node.target_provision_state as ProvisionState | null,
    automatedClean,
  });
  await task.save({
    provision_state: transition.next,
    target_provision_state: transition.target,
    provision_updated_at: new Date(),
  });
}

/**
 * Provisioning as Ironic's conductor runs it: the request moves the node into a transient state
 * under its lock and is answered; the work of that state then runs, and its outcome moves the node
 * on (done) or into the failure state (fail) with last_error.
 */
export function registerProvisionHandler(
  rpc: RpcServer,
  tasks: NodeTaskManager,
  drivers: DriverRegistry,
  config: CoreConfig,
  ports: PortStore,
): void {
  const automatedCleanFor = (task: NodeTask) =>
    task.node.automated_clean ?? config.conductor.automated_clean;

  /** The work of each transient state, ending with the event that leaves it. */
  const work = async (task: NodeTask, requested: RequestedSteps): Promise<void> => {
    const automatedClean = automatedCleanFor(task);
    const finish = async () =>
      advance(
        task,
        completionEvent(stateOf(task), task.node.target_provision_state as ProvisionState | null),
        automatedClean,
      );
    switch (stateOf(task)) {
      case VERIFYING: {
        const power = task.interfaceOf<PowerInterface>('power');
        await power.validate(task.context);
        await task.save({ power_state: await power.getPowerState(task.context) });
        return finish();
      }
      case INSPECTING: {
        await task.save({ inspection_started_at: new Date(), inspection_finished_at: null });
        const found = await task
          .interfaceOf<InspectInterface>('inspect')
          .inspectHardware(task.context);
        if (found) await recordInspection(task, ports, found);
        await task.save({ inspection_finished_at: new Date() });
        return finish();
      }
      case CLEANING: {
        const steps = requested.clean_steps
          ? checkRequestedSteps(drivers, task, 'clean', requested.clean_steps)
          : automatedClean
            ? automaticSteps(drivers, task, 'clean')
            : [];
        await runSteps(task, 'clean', steps);
        return finish();
      }
      case DEPLOYING: {
        const chosen = requested.deploy_steps
          ? checkRequestedSteps(drivers, task, 'deploy', requested.deploy_steps)
          : [];
        const steps = [...automaticSteps(drivers, task, 'deploy'), ...chosen].sort(
          (a, b) => b.priority - a.priority,
        );
        await runSteps(task, 'deploy', steps);
        return finish();
      }
      case DELETING: {
        await task.interfaceOf<DeployInterface>('deploy').tearDown(task.context);
        await task.save({ instance_info: {}, instance_uuid: null });
        await advance(task, 'clean', automatedClean);
        // Cleaning after tear-down runs the automatic steps: none were requested for it.
        if (stateOf(task) === CLEANING) return work(task, {});
        return;
      }
      case ADOPTING:
        await task.interfaceOf<DeployInterface>('deploy').takeOver(task.context);
        return finish();
      case RESCUING:
        await task.interfaceOf<RescueInterface>('rescue').rescue(task.context);
        return finish();
      case UNRESCUING:
        await task.interfaceOf<RescueInterface>('rescue').unrescue(task.context);
        return finish();
      default:
        // Stable states (manage from clean failed, abort into a failure state) need no work.
        return;
    }
  };

  rpc.register(provisionMethod, async (args, ctx) => {
    await tasks.startAsync(
      args,
      ctx,
      async (task) => {
        const transition = requestTransition(stateOf(task), args.target, task.node.uuid, {
          maintenance: task.node.maintenance,
          currentTarget: task.node.target_provision_state as ProvisionState | null,
          automatedClean: automatedCleanFor(task),
        });
        if (transition.next === DEPLOYING) {
          for (const kind of ['power', 'deploy', 'boot'] as const)
            await task.interfaceOf(kind).validate(task.context);
        }
        await task.save({
          provision_state: transition.next,
          target_provision_state: transition.target,
          provision_updated_at: new Date(),
          last_error: null,
        });
      },
      (task) => work(task, args),
      async (task, error) => {
        const column = stateOf(task) === CLEANING ? 'clean_step' : 'deploy_step';
        await advance(task, 'fail', automatedCleanFor(task)).catch(() => undefined);
        await task.save({ last_error: error.message, [column]: {} });
      },
    );
    return {};
  });
}
