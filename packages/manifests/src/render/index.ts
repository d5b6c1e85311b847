export { formatRenderedFile, redactPlan } from './format-rendered-file.js';
export { planRender } from './plan-render.js';
export {
  parseSecretsFile,
  type ReadSecretValuesOptions,
  planSecretValues,
  readSecretValues,
  saveGeneratedSecrets,
  type SecretValuesPlan,
  type SecretValuesRead,
} from './read-secret-values.js';
export {
  MANIFEST_PROFILES,
  type ManifestProfile,
  type RenderedFile,
  type RenderOptions,
  type RenderPlan,
  SECRET_ENV_PREFIX,
  SECRET_NAME,
  type SecretValues,
} from './render-types.js';
export { requiredSecretKeys } from './required-secret-keys.js';
export type { WriteFs } from '@qed/core';
export { type WriteRenderFs, writeRender } from './write-render.js';
export { checkRenderPlan, renderedObjects } from './check-render.js';
