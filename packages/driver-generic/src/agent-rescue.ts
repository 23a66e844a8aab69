import {
  InvalidParameterValue,
  MissingParameterValue,
  POWER_OFF,
  POWER_ON,
  RescueInterface,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { agentErrorText } from './agent/client';
import { agentOptions } from './agent/options';
import { agentClient, bootRamdisk, requireRamdiskBoot } from './agent/session';

/** The instance_info key of the rescue password as the agent takes it (Ironic's name). */
const HASHED_PASSWORD_KEY = 'hashed_rescue_password';

/** A boot interface that can tell whether the node's rescue ramdisk is configured. */
interface RescueBootValidation {
  validateRescue(task: TaskContext): void | Promise<void>;
}

function hasRescueValidation(boot: unknown): boot is RescueBootValidation {
  return typeof (boot as Partial<RescueBootValidation>).validateRescue === 'function';
}

/**
 * `agent`: Ironic's agent rescue. The node leaves its instance and boots the rescue ramdisk
 * (`rescue_kernel` / `rescue_ramdisk`); the conductor waits in `rescue wait` for its agent, then
 * has it set the rescue user's password (`rescue.finalize_rescue`, with the hashed password) and
 * the node is in `rescue`. Unrescue boots the instance again.
 */
export class AgentRescue extends RescueInterface {
  static override readonly optionGroups = [agentOptions];

  /** The conductor waits for the ramdisk's agent after `rescue` (and calls `finalizeRescue`). */
  readonly waitsForAgent = true;

  async validate(task: TaskContext): Promise<void> {
    requireRamdiskBoot(task);
    const { boot } = task.driver;
    await boot.validate(task);
    if (hasRescueValidation(boot)) await boot.validateRescue(task);
    const password = task.node.instanceInfo.rescue_password;
    if (password === undefined || password === null) {
      throw new MissingParameterValue(
        `Node ${task.node.uuid} is missing 'instance_info/rescue_password'. It is required for rescuing node.`,
      );
    }
    if (typeof password !== 'string' || password.trim() === '') {
      throw new InvalidParameterValue(
        `The 'instance_info/rescue_password' is an empty string for node ${task.node.uuid}. The 'rescue_password' must be a non-empty string value.`,
      );
    }
  }

  /** The instance stops, its boot files go, and the node boots the rescue ramdisk. */
  async rescue(task: TaskContext): Promise<void> {
    const { boot, power } = task.driver;
    await power.setPowerState(task, POWER_OFF);
    await boot.cleanUpInstance(task);
    this.logNetwork(task, 'rescuing network: nothing to configure');
    await bootRamdisk(task, this.env.config);
  }

  /**
   * The agent heartbeated in `rescue wait`: it sets the rescue password (hashed, as Ironic sends
   * it) and stops heartbeating; the ramdisk's boot files are no longer needed.
   */
  async finalizeRescue(task: TaskContext): Promise<void> {
    const hashed = task.node.instanceInfo[HASHED_PASSWORD_KEY];
    if (typeof hashed !== 'string' || hashed === '') {
      throw new MissingParameterValue('Agent rescue requires rescue_password in instance_info');
    }
    const status = await agentClient(task, this.env.config).execute(
      'rescue.finalize_rescue',
      { rescue_password: hashed, hashed: true },
      true,
    );
    if (status.command_status !== 'SUCCEEDED') {
      throw new InvalidParameterValue(
        `Agent returned bad result for command finalize_rescue: ${agentErrorText(status.command_error)}`,
      );
    }
    await this.cleanUp(task);
    this.logNetwork(task, 'tenant network: nothing to configure');
  }

  /** After a rescue, or one that failed or timed out: the rescue ramdisk's boot files go. */
  async cleanUp(task: TaskContext): Promise<void> {
    await task.driver.boot.cleanUpRamdisk?.(task);
    this.logNetwork(task, 'rescuing network: nothing to remove');
  }

  /**
   * The node leaves the rescue ramdisk and boots its instance as after its deploy: a ramdisk
   * instance from the network, a whole-disk one from its disk.
   */
  async unrescue(task: TaskContext): Promise<void> {
    const { boot, management, power } = task.driver;
    await power.setPowerState(task, POWER_OFF);
    await this.cleanUp(task);
    if (task.driver.interfaceNames.deploy === 'ramdisk') {
      await boot.prepareInstance(task);
    } else if ((await management.getSupportedBootDevices(task)).includes('disk')) {
      await management.setBootDevice(task, 'disk', true);
    }
    await power.setPowerState(task, POWER_ON);
  }

  /** The network interfaces Galvanic has (noop, fake) have nothing to switch; say so for the operator. */
  private logNetwork(task: TaskContext, what: string): void {
    task.logger.info(what, { network_interface: task.driver.interfaceNames.network });
  }
}
