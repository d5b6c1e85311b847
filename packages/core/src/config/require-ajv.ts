import { createRequire } from 'node:module';

/**
 * ajv, loaded on first use (CommonJS, so require() keeps parseConfig synchronous).
 * The published bundle (packages/qed-bootstrap/scripts/bundle.mjs) puts in place
 * of this module one whose require() the bundler sees, so ajv travels inside the
 * package and still runs only when a config is validated.
 */
export function requireAjv(): typeof import('ajv') {
  return createRequire(import.meta.url)('ajv') as typeof import('ajv');
}
