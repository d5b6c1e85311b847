import { describe, expect, it } from 'vitest';
import { checkDockerConfig, formatDockerConfigReport, localRegistryHosts } from './check-docker-config.js';
import type { DockerConfigFacts } from './docker-config-facts.js';

const facts = (config: unknown): DockerConfigFacts => ({
  path: '/h/.docker/config.json',
  exists: true,
  text: JSON.stringify(config),
  mode: 0o600,
  backups: [],
});

describe('checkDockerConfig', () => {
  it('finds credsStore and the cred helpers of the local registry hosts only', () => {
    const report = checkDockerConfig(
      facts({
        auths: { 'ghcr.io': { auth: 'dXNlcjpodW50ZXIy' } },
        credsStore: 'osxkeychain',
        credHelpers: { 'localhost:5000': 'desktop', 'gcr.io': 'gcloud', '127.0.0.1:5000': '' },
      }),
    );
    expect(report.findings.map((f) => [f.key, f.helper])).toEqual([
      ['credsStore', 'osxkeychain'],
      ['credHelpers.localhost:5000', 'desktop'],
    ]);
    expect(report.findings[0]?.why).toContain('docker-credential-osxkeychain');
    const text = formatDockerConfigReport(report).join('\n');
    expect(text).toContain('credsStore = osxkeychain');
    expect(text).not.toContain('dXNlcjpodW50ZXIy');
  });

  it('honours another port', () => {
    const report = checkDockerConfig(facts({ credHelpers: { '127.0.0.1:5001': 'desktop' } }), {
      registryHosts: localRegistryHosts(5001),
    });
    expect(report.findings).toHaveLength(1);
  });

  it('has nothing to say about a clean or missing file', () => {
    expect(checkDockerConfig(facts({ auths: {} })).findings).toEqual([]);
    const missing = checkDockerConfig({ path: '/h/.docker/config.json', exists: false, backups: [] });
    expect(formatDockerConfigReport(missing)).toEqual([
      '/h/.docker/config.json does not exist: nothing to fix.',
    ]);
  });
});
