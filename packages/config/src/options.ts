/** Option declarations live in the driver SDK, so drivers declare theirs the same way. */
export {
  defineOptionGroup,
  opt,
  type OptionSpec,
  type OptionGroup,
  type OptionGroupSpec,
  type GroupValues,
} from '@galvanic/driver-sdk';
