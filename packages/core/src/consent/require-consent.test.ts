import { describe, expect, it } from 'vitest';
import { requireConsent } from './require-consent.js';

describe('requireConsent', () => {
  it('passes only on an explicit yes', () => {
    expect(() => requireConsent(true, { action: 'Deleting profile qed' })).not.toThrow();
    for (const consent of [false, undefined]) {
      expect(() => requireConsent(consent, { action: 'Deleting profile qed' })).toThrow(expect.objectContaining({ code: 'CONSENT_REQUIRED' }));
    }
  });

  it('says what would be destroyed and every way to agree or step back', () => {
    let caught: unknown;
    try {
      requireConsent(false, { action: 'Deleting 3 objects with their data', flag: '--purge', alternative: 'delete them by hand', data: { objects: 3 } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({
      code: 'CONSENT_REQUIRED',
      message: 'Deleting 3 objects with their data was not confirmed, so nothing was changed',
      hint: 'Add --yes to agree, or run it in a terminal and answer the prompt (CI=true alone never agrees). Leave out --purge to keep it. Or delete them by hand.',
      data: { objects: 3 },
    });
  });
});
