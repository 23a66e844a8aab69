export {
  startAcmeSim,
  ACME_BOOT_DEVICES,
  type AcmeSim,
  type AcmeSimOptions,
  type AcmeChassis,
  type AcmeBootDevice,
  type AcmePowerAction,
  type AcmePowerState,
} from './server';
