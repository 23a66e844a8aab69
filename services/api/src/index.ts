export {
  startApi,
  noauthExposureWarning,
  isLoopbackAddress,
  type ApiServiceDependencies,
  type RunningApi,
} from './service';
export { createApp, type ApiDependencies } from './app';
export { connectToConductors } from './conductors';
