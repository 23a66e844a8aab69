import {
  DeployInterface,
  InvalidParameterValue,
  POWER_OFF,
  POWER_ON,
  cleanStep,
  deployStep,
  forgetAgent,
  type AgentStepsInterface,
  type HeartbeatOutcome,
  type STEP_WAIT,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { agentOptions } from './agent/options';
import {
  agentClient,
  agentStep,
  bootRamdisk,
  commandOutcome,
  forgetPendingCommand,
  shutDownRamdisk,
} from './agent/session';
import { collaborators } from './collaborators';
import { requireFields } from './missing';

const DISK_FORMATS = ['raw', 'qcow2'] as const;
const HASH_ALGORITHMS = ['md5', 'sha1', 'sha256', 'sha384', 'sha512'] as const;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * What the agent's `standby.prepare_image` takes, from the node's instance_info: the image's URL,
 * how to verify it (os_hash_* preferred over the legacy image_checksum), its disk format, and
 * the configdrive when there is one.
 */
function imageInfo(task: TaskContext): Record<string, unknown> {
  const info = task.node.instanceInfo;
  const source = text(info.image_source)!;
  return {
    id: source,
    urls: [source],
    disk_format: text(info.image_disk_format) ?? 'raw',
    checksum: text(info.image_checksum) ?? null,
    os_hash_algo: text(info.image_os_hash_algo) ?? null,
    os_hash_value: text(info.image_os_hash_value) ?? null,
    root_device: task.node.properties.root_device ?? null,
    node_uuid: task.node.uuid,
  };
}

/**
 * `direct`: Ironic's agent deploy. The node boots the deploy ramdisk, whose agent downloads the
 * instance image itself (`image_source`, an HTTP URL), verifies it, and writes it and the
 * configdrive to the root device; the node then boots from its disk. Its clean steps erase the
 * disks through the same agent.
 */
export class DirectDeploy extends DeployInterface implements AgentStepsInterface {
  static override readonly optionGroups = [agentOptions];

  async validate(task: TaskContext): Promise<void> {
    await collaborators(task).boot.validate(task);
    const info = task.node.instanceInfo;
    requireFields(
      info,
      ['image_source'],
      `Node ${task.node.uuid} cannot be deployed with the direct deploy. Some parameters were missing in its instance_info`,
    );
    const source = text(info.image_source)!;
    if (!/^https?:\/\//i.test(source)) {
      throw new InvalidParameterValue(
        `Node ${task.node.uuid}: instance_info.image_source must be an HTTP(S) URL, not ${source}.`,
      );
    }
    const format = text(info.image_disk_format);
    if (format && !(DISK_FORMATS as readonly string[]).includes(format)) {
      throw new InvalidParameterValue(
        `Node ${task.node.uuid}: image_disk_format ${format} is not supported; use one of ${DISK_FORMATS.join(', ')}.`,
      );
    }
    const algorithm = text(info.image_os_hash_algo);
    if (algorithm && !(HASH_ALGORITHMS as readonly string[]).includes(algorithm)) {
      throw new InvalidParameterValue(
        `Node ${task.node.uuid}: image_os_hash_algo ${algorithm} is not supported; use one of ${HASH_ALGORITHMS.join(', ')}.`,
      );
    }
    if (!text(info.image_checksum) && !(algorithm && text(info.image_os_hash_value))) {
      throw new InvalidParameterValue(
        `Node ${task.node.uuid}: an HTTP image needs its checksum: set instance_info.image_os_hash_algo and image_os_hash_value (or image_checksum).`,
      );
    }
  }

  /** Boots the deploy ramdisk; the step is done when the agent heartbeats. */
  @deployStep({ priority: 100 })
  async deploy(task: TaskContext, _args: Record<string, unknown>): Promise<typeof STEP_WAIT> {
    await bootRamdisk(task, this.env.config);
    return 'wait';
  }

  @deployStep({ priority: 80 })
  async write_image(task: TaskContext, _args: Record<string, unknown>): Promise<typeof STEP_WAIT> {
    const configdrive = task.node.instanceInfo.configdrive;
    if (configdrive !== undefined && configdrive !== null && typeof configdrive !== 'string') {
      throw new InvalidParameterValue(
        `Node ${task.node.uuid}: this deploy writes a config drive given as an ISO (base64, gzipped or not) or its URL; building one from JSON is not supported.`,
      );
    }
    return agentStep(task, this.env.config, 'standby.prepare_image', {
      image_info: imageInfo(task),
      ...(configdrive ? { configdrive } : {}),
    });
  }

  /**
   * The node boots from its disk from now on (a whole-disk image boots itself): the ramdisk's
   * boot files are removed and the boot device set to disk, persistently, where the management
   * interface can (fake hardware boots whatever it is told to).
   */
  @deployStep({ priority: 60 })
  async prepare_instance_boot(task: TaskContext, _args: Record<string, unknown>): Promise<void> {
    const { boot, management } = collaborators(task);
    await boot.cleanUpRamdisk?.(task);
    const supported = await management.getSupportedBootDevices(task);
    if (supported.includes('disk')) await management.setBootDevice(task, 'disk', true);
    else
      task.logger.info('the management interface cannot set the disk boot device; left as it is');
  }

  /** The agent flushes its writes, the node powers off, and the agent is forgotten. */
  @deployStep({ priority: 40 })
  async tear_down_agent(task: TaskContext, _args: Record<string, unknown>): Promise<void> {
    try {
      await agentClient(task, this.env.config).execute('standby.sync', {}, true);
    } catch (error) {
      task.logger.warn('agent could not sync before power off', {
        reason: (error as Error).message,
      });
    }
    await collaborators(task).power.setPowerState(task, POWER_OFF);
    forgetAgent(task.node.driverInternalInfo);
  }

  /** The network interface moves the node to the tenant network (nothing to do with `noop`). */
  @deployStep({ priority: 30 })
  async switch_to_tenant_network(task: TaskContext, _args: Record<string, unknown>): Promise<void> {
    task.logger.info('tenant network: nothing to configure', {
      network_interface: task.driver.interfaceNames.network,
    });
  }

  @deployStep({ priority: 20 })
  async boot_instance(task: TaskContext, _args: Record<string, unknown>): Promise<void> {
    await collaborators(task).power.setPowerState(task, POWER_ON);
  }

  @cleanStep({ priority: 99, requiresRamdisk: true })
  async erase_devices_metadata(
    task: TaskContext,
    _args: Record<string, unknown>,
  ): Promise<typeof STEP_WAIT> {
    return this.agentCleanStep(task, 'erase_devices_metadata', 99);
  }

  @cleanStep({ priority: 0, requiresRamdisk: true, abortable: true })
  async erase_devices(
    task: TaskContext,
    _args: Record<string, unknown>,
  ): Promise<typeof STEP_WAIT> {
    return this.agentCleanStep(task, 'erase_devices', 0);
  }

  private agentCleanStep(
    task: TaskContext,
    step: string,
    priority: number,
  ): Promise<typeof STEP_WAIT> {
    return agentStep(task, this.env.config, 'deploy.execute_clean_step', {
      step: { interface: 'deploy', step, priority, args: {}, reboot_requested: false },
      node: {
        uuid: task.node.uuid,
        properties: task.node.properties,
        instance_info: task.node.instanceInfo,
      },
      ports: task.node.ports.map((port) => ({ uuid: port.uuid, address: port.address })),
      clean_version: {},
    });
  }

  continueOnHeartbeat(task: TaskContext): Promise<HeartbeatOutcome> {
    return commandOutcome(task, this.env.config);
  }

  async tearDownCleaning(task: TaskContext): Promise<void> {
    await shutDownRamdisk(task);
    forgetPendingCommand(task);
    forgetAgent(task.node.driverInternalInfo);
  }

  /** Undeploy: the instance stops; cleaning (when on) erases the disk after. */
  async tearDown(task: TaskContext): Promise<void> {
    await collaborators(task).power.setPowerState(task, POWER_OFF);
    forgetAgent(task.node.driverInternalInfo);
  }

  override async prepare(_task: TaskContext): Promise<void> {}

  override async cleanUp(task: TaskContext): Promise<void> {
    await collaborators(task).boot.cleanUpRamdisk?.(task);
  }

  /** The node boots from its own disk: nothing of the conductor's is needed to keep it. */
  async takeOver(_task: TaskContext): Promise<void> {}
}
