/** Emulated BMCs for the tests, and nodes and tasks pointing at them. */
import type { HardwareInterface, InterfaceKind, NodeView } from '@galvanic/driver-sdk';
import { makeNode, makeTask } from '@galvanic/driver-sdk/testing';
import type { RedfishEmulator } from '@galvanic/redfish-emulator/testing';

export function emulatorDriverInfo(
  bmc: RedfishEmulator,
  systemIndex: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const system = bmc.systems[systemIndex];
  if (!system) throw new Error(`no system ${systemIndex}`);
  return {
    redfish_address: bmc.url,
    redfish_system_id: system.path,
    redfish_username: bmc.credentials.username,
    redfish_password: bmc.credentials.password,
    ...(bmc.caPath ? { redfish_verify_ca: bmc.caPath } : {}),
    ...extra,
  };
}

export function emulatorNode(
  bmc: RedfishEmulator,
  systemIndex: number,
  overrides: Partial<NodeView> & { driverInfo?: Record<string, unknown> } = {},
): NodeView {
  return makeNode({
    driver: 'redfish',
    ...overrides,
    driverInfo: emulatorDriverInfo(bmc, systemIndex, overrides.driverInfo),
  });
}

export function taskOn(
  node: NodeView,
  interfaces: Partial<Record<InterfaceKind, HardwareInterface>> = {},
  signal?: AbortSignal,
) {
  return makeTask({ driverName: 'redfish', node, interfaces, signal });
}

/** The error a promise is rejected with. */
export async function failure(attempt: Promise<unknown>): Promise<Error> {
  return attempt.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as Error,
  );
}
