export {
  createTestDatabase,
  terminateSessions,
  queryDatabase,
  TEST_POSTGRES_ADMIN_URL,
  type TestDatabase,
} from './database';
export { uniqueNamespace, TEST_AMQP_URL, TEST_RPC_MESSAGE_KEY } from './names';
export { freePort } from './ports';
export {
  startService,
  watchProcess,
  REPO_ROOT,
  SOURCE_NODE_ARGS,
  type ServiceProcess,
} from './process';
export { packDriverSdk, runCommand, TSC, type CommandOptions, type PackedSdk } from './sdk-package';
export {
  buildAgent,
  buildAgentRamdisk,
  startHostAgent,
  type AgentRamdisk,
  type HostAgentOptions,
} from './agent';
export { wholeDiskImage, readFileRange } from './disk-image';
export {
  loadSample,
  replaySample,
  sendHttp,
  apiRequest,
  ironicLinks,
  IRONIC_TIMESTAMP,
  type ApiRequestOptions,
  innerError,
  SAMPLES_DIR,
  type Sample,
  type HttpResult,
} from './samples';
export {
  baremetal,
  baremetalQuiet,
  baremetalWith,
  newerBaremetalWith,
  newerIronicclient,
  splitModeEnv,
} from './cli';
export {
  startTestKeystone,
  TestKeystone,
  type KeystoneUser,
  type KeystoneOptions,
} from './keystone';
export { startSplitMode, type SplitMode, type SplitModeOptions } from './split-mode';
export { TcpProxy } from './tcp-proxy';
export {
  createInProcess,
  createSplit,
  fromExisting,
  type GalvanicEnvironment,
  type InProcessEnvironment,
  type InProcessOptions,
  type SplitEnvironment,
} from './environments';
export { startPrivatePostgres, type PrivatePostgres } from './private-postgres';
export { makeTestCertificates, type TestCertificates } from './certificates';
export { openstacksdk, type OpenstacksdkOptions } from './openstacksdk';
export * from './vm/index';
