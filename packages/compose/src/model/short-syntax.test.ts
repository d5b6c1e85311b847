import { describe, expect, it } from 'vitest';
import { isHostPath, parsePortSpec, parseVolumeSpec } from './short-syntax.js';

describe('port short syntax', () => {
  it.each([
    ['80', [{ target: 80, protocol: 'TCP' }]],
    ['8085:8080', [{ target: 8080, published: 8085, protocol: 'TCP' }]],
    ['127.0.0.1:80:80', [{ target: 80, published: 80, hostIp: '127.0.0.1', protocol: 'TCP' }]],
    ['[::1]:53:53/udp', [{ target: 53, published: 53, hostIp: '::1', protocol: 'UDP' }]],
    ['9000-9001:8000-8001', [{ target: 8000, published: 9000, protocol: 'TCP' }, { target: 8001, published: 9001, protocol: 'TCP' }]],
  ])('%s', (spec, expected) => expect(parsePortSpec(spec)).toEqual(expected));

  it.each([
    ['80/icmp', 'unknown protocol'],
    ['http', 'is not a port number'],
    ['70000', 'outside 1-65535'],
    ['1-1000', 'more than 100 ports'],
    ['1:2:3:4', 'is not [HOST_IP:]'],
    ['8000-8002:9000-9001', 'differ in length'],
  ])('%s is refused (%s)', (spec, message) => expect(parsePortSpec(spec)).toContain(message));
});

describe('volume short syntax', () => {
  it.each([
    ['data:/var/lib/data', { source: 'data', target: '/var/lib/data', readOnly: false, ignoredOptions: [] }],
    ['./conf:/etc/conf:ro', { source: './conf', target: '/etc/conf', readOnly: true, ignoredOptions: [] }],
    ['/srv:/srv:ro,z', { source: '/srv', target: '/srv', readOnly: true, ignoredOptions: ['z'] }],
    ['/scratch', { target: '/scratch', readOnly: false, ignoredOptions: [] }],
    ['C:\\data:/data', { source: 'C:\\data', target: '/data', readOnly: false, ignoredOptions: [] }],
  ])('%s', (spec, expected) => expect(parseVolumeSpec(spec)).toEqual(expected));

  it('refuses relative container paths and unknown modes', () => {
    expect(parseVolumeSpec('data:relative')).toContain('must be absolute');
    expect(parseVolumeSpec('data:/x:fast')).toContain('unknown mode fast');
  });

  it('tells host paths from volume names as compose does', () => {
    expect(['.', './x', '../x', '/x', '~/x', 'C:\\x', 'D:/x'].every(isHostPath)).toBe(true);
    expect(['data', 'mongo_data'].some(isHostPath)).toBe(false);
  });
});
