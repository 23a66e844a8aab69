/** Boot devices, boot modes and indicators live in the driver SDK, where drivers use them. */
export {
  BOOT_DEVICES,
  BOOT_MODES,
  INDICATOR_COMPONENTS,
  INDICATOR_STATES,
  isBootDevice,
  isBootMode,
  isIndicatorComponent,
  isIndicatorState,
  type BootDevice,
  type BootMode,
  type IndicatorComponent,
  type IndicatorState,
} from '@galvanic/driver-sdk';
