import type { ValidationResult } from '@galvanic/conductor-api';
import type { HardwareInterface } from '@galvanic/driver-sdk';
import type { NodeTask } from '../nodes/task';

/** The kinds `GET /v1/nodes/{node}/validate` reports, in Ironic's order. */
const VALIDATED_KINDS = [
  'boot',
  'deploy',
  'management',
  'network',
  'power',
  'bios',
  'console',
  'inspect',
  'raid',
  'rescue',
  'storage',
] as const;

/** `validate_driver_interfaces`: each interface's verdict, with its reason when it refuses. */
export async function validateInterfaces(task: NodeTask): Promise<ValidationResult> {
  const result: ValidationResult = {};
  for (const kind of VALIDATED_KINDS) {
    try {
      await task.interfaceOf<HardwareInterface>(kind).validate(task.context);
      result[kind] = { result: true };
    } catch (error) {
      result[kind] = { result: false, reason: (error as Error).message };
    }
  }
  return result;
}
