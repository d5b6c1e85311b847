import { describe, inject, it } from 'vitest';
import type { TestenvConnection } from './testenv.js';
import './vitest-global-setup.js';

/**
 * Declares an integration suite that runs against the real test environment.
 * Where the environment could not be provided (and only outside CI, where the
 * global setup fails instead), the suite is skipped and says why in its name.
 */
export function describeOnTestenv(name: string, body: (connection: TestenvConnection) => void): void {
  const testenv = inject('testenv');
  if (testenv.available) {
    describe(name, () => body(testenv.connection));
  } else {
    describe.skip(`${name} [skipped: no test environment: ${testenv.reason}]`, () => {
      it('needs the real test environment', () => undefined);
    });
  }
}
