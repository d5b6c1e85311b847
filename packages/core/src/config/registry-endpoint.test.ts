import { describe, expect, it } from 'vitest';
import { QedError } from '../errors/qed-error.js';
import { formatRegistryEndpoint, parseRegistryEndpoint, readRegistryEndpoint } from './registry-endpoint.js';

describe('registry endpoint', () => {
  it.each([
    ['127.0.0.1:5000', { host: '127.0.0.1', port: 5000 }],
    ['localhost:5001', { host: 'localhost', port: 5001 }],
    ['[::1]:5000', { host: '::1', port: 5000 }],
    ['registry.example.test:65535', { host: 'registry.example.test', port: 65535 }],
  ])('reads %s', (value, endpoint) => {
    expect(parseRegistryEndpoint(value)).toEqual(endpoint);
    expect(formatRegistryEndpoint(endpoint)).toBe(value);
  });

  it.each([['localhost'], ['127.0.0.1:'], ['127.0.0.1:0'], ['127.0.0.1:65536'], ['localhost:70000'], ['127.0.0.1:50a'], ['::1'], ['::1:5000'], ['']])('refuses %j', (value) => {
    expect(readRegistryEndpoint(value)).toBeNull();
    expect(() => parseRegistryEndpoint(value)).toThrow(QedError);
  });

  it('names the key and the file in its one error', () => {
    const error = (() => {
      try {
        parseRegistryEndpoint('localhost', '/p/qed.config.yaml');
      } catch (caught) {
        return caught as QedError;
      }
      return null;
    })();
    expect(error?.code).toBe('CONFIG_INVALID');
    expect(error?.message).toBe('registry.host "localhost" in /p/qed.config.yaml is not HOST:PORT');
    expect(error?.hint).toContain('e.g. 127.0.0.1:5000');
  });
});
