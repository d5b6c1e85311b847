import { describe, expect, it } from 'vitest';
import { credentialValues, maskDockerConfig, redactDockerConfigText } from './redact-docker-config.js';

const config = {
  auths: { 'ghcr.io': { auth: 'dXNlcjpodW50ZXIy', identitytoken: 'tok-123' }, 'quay.io': {} },
  credsStore: 'desktop',
};

describe('masking', () => {
  it('masks every credential and keeps the rest', () => {
    expect(maskDockerConfig(config)).toEqual({
      auths: { 'ghcr.io': { auth: '***', identitytoken: '***' }, 'quay.io': {} },
      credsStore: 'desktop',
    });
  });

  it('masks them in any text once known', () => {
    const secrets = credentialValues(config);
    expect(secrets).toEqual(['dXNlcjpodW50ZXIy', 'tok-123']);
    expect(redactDockerConfigText('saw dXNlcjpodW50ZXIy and tok-123', secrets)).toBe('saw *** and ***');
    expect(redactDockerConfigText(JSON.stringify(config))).not.toContain('dXNlcjpodW50ZXIy');
  });
});
