export {
  driverPropertiesMethod,
  driverVendorMethodsMethod,
  type DriverArgs,
  type PassthruMethodListing,
} from './drivers';
