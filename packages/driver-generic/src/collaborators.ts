import {
  InternalError,
  type BootInterface,
  type ManagementInterface,
  type PowerInterface,
  type TaskContext,
} from '@galvanic/driver-sdk';

export interface Collaborators {
  boot: BootInterface;
  power: PowerInterface;
  management: ManagementInterface;
}

/** The node's other interfaces; the conductor composed them, so their kinds are right. */
export function collaborators(task: TaskContext): Collaborators {
  const of = <T>(kind: keyof Collaborators): T => {
    const found = task.driver.interfaceOf(kind);
    if (typeof found !== 'object' || found === null) {
      throw new InternalError(`Node ${task.node.uuid} has no ${kind} interface`);
    }
    return found as T;
  };
  return {
    boot: of<BootInterface>('boot'),
    power: of<PowerInterface>('power'),
    management: of<ManagementInterface>('management'),
  };
}
