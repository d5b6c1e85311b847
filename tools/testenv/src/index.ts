export { testenvLayout, type TestenvLayout } from './layout.js';
export {
  acquireLease,
  checkHealth,
  down,
  formatEnvFile,
  readState,
  status,
  type TestenvConnection,
  type TestenvDeps,
  type TestenvState,
  testenvUnavailableReason,
  up,
} from './testenv.js';
export { FAKE_NODE_NAMES } from './control-plane.js';
export { REGISTRY_IMAGE, TESTENV_REGISTRY_CONTAINER } from './container-engine.js';
export { readPinnedVersions } from './versions.js';
export { isAlive, isPortListening } from './processes.js';
export { type PrivateApiServer, startPrivateApiServer } from './private-apiserver.js';
