/**
 * Driver options are declared like every Galvanic option, and read from the same file and
 * environment: `[fake] power_delay`, `GALVANIC_FAKE__POWER_DELAY`.
 */
export {
  defineOptionGroup,
  opt,
  deployOptions,
  type OptionGroup,
  type OptionGroupSpec,
  type GroupValues,
} from '@galvanic/config';
