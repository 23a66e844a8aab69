/** ipmi_sim BMCs for the tests: ipmi-ts's simulator support, plus a guest that obeys soft off. */
import type { NodeView } from '@galvanic/driver-sdk';
import { makeNode } from '@galvanic/driver-sdk/testing';
import type { IpmiSim } from 'ipmi-ts/testing';
import { SIM_PASSWORD, SIM_USER } from 'ipmi-ts/testing';

export { freeUdpPort, SIM_PASSWORD, SIM_USER, startSims } from 'ipmi-ts/testing';
export type { IpmiSim, SimFleet } from 'ipmi-ts/testing';

export function simDriverInfo(sim: IpmiSim, extra: Record<string, unknown> = {}) {
  return {
    ipmi_address: '127.0.0.1',
    ipmi_port: sim.port,
    ipmi_username: SIM_USER,
    ipmi_password: SIM_PASSWORD,
    ...extra,
  };
}

export function simNode(sim: IpmiSim, extra: Record<string, unknown> = {}): NodeView {
  return makeNode({ driver: 'ipmi', driverInfo: simDriverInfo(sim, extra) });
}

/** What `ipmitool chassis power status` says: 'on' or 'off'. */
export function ipmitoolPower(sim: IpmiSim): string {
  const out = sim.ipmitool(['chassis', 'power', 'status']);
  const match = /Chassis Power is (on|off)/.exec(out);
  if (!match?.[1]) throw new Error(`unexpected ipmitool output: ${out}`);
  return match[1];
}

/** The "Boot Device Selector" line of `ipmitool chassis bootparam get 5`. */
export function ipmitoolBootDevice(sim: IpmiSim): string {
  const out = sim.ipmitool(['chassis', 'bootparam', 'get', '5']);
  const match = /Boot Device Selector : (.+)/.exec(out);
  if (!match?.[1]) throw new Error(`unexpected ipmitool output: ${out}`);
  return match[1].trim();
}

/**
 * ipmi_sim only tells its chassis script "shutdown 1" on a soft off: play the operating system
 * that shuts down, `delayMs` later, by turning power off.
 */
export function obeySoftOff(sim: IpmiSim, delayMs: number): () => void {
  const seen = sim.state().log.length;
  const timer = setInterval(() => {
    if (sim.state().log.slice(seen).includes('shutdown 1')) {
      clearInterval(timer);
      setTimeout(() => sim.setState('power', '0'), delayMs);
    }
  }, 5);
  return () => clearInterval(timer);
}
