export { IpmiHardware } from './hardware';
export { IpmiPower } from './power';
export { IpmiManagement } from './management';
export { IpmiVendor, type SendRawResult } from './vendor';
export { ipmiOptions } from './options';
export { IPMI_PROPERTIES } from './properties';
export { IPMIFailure, PowerStateFailure } from './errors';
export { sharedIpmiClient, closeSharedIpmiClient } from './client';
