/**
 * Real BMCs for tests: OpenIPMI's `ipmi_sim` (Debian package `openipmi`), one process per BMC,
 * its power and boot state kept in files the tests can read.
 */
export {
  IpmiSim,
  startSims,
  freeUdpPort,
  writeSimConfig,
  type SimConfig,
  SIM_USER,
  SIM_PASSWORD,
  type SimFleet,
  type SimState,
} from './ipmi-sim';
