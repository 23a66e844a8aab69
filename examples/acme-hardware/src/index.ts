export { AcmeHardware } from './hardware';
export { AcmePower } from './power';
export { AcmeManagement } from './management';
export { AcmeVendor } from './vendor';
export { acmeOptions } from './options';
export { AcmeControllerError } from './errors';
export { ACME_PROPERTIES } from './driver-info';
