import { describe, expect, it } from 'vitest';
import { type EndpointSlice, formatForwards, forwardUrl, orderServices, pickEndpoint } from './service-forwards.js';

const service = (name: string) => ({ metadata: { name } });

describe('orderServices', () => {
  it('nginx first, then by name', () => {
    expect(orderServices([service('redis'), service('qed-django'), service('qed-nginx'), service('cts')]).map((s) => s.metadata.name)).toEqual([
      'qed-nginx',
      'cts',
      'qed-django',
      'redis',
    ]);
  });
});

describe('forwardUrl', () => {
  it.each<[Parameters<typeof forwardUrl>[0], string]>([
    [{ port: 80 }, 'http://127.0.0.1:8080'],
    [{ port: 443 }, 'https://127.0.0.1:8080'],
    [{ port: 9000, name: 'https-web' }, 'https://127.0.0.1:8080'],
    [{ port: 5432 }, 'tcp://127.0.0.1:8080'],
    [{ port: 6379, name: 'redis' }, 'tcp://127.0.0.1:8080'],
    [{ port: 6379, appProtocol: 'http' }, 'http://127.0.0.1:8080'],
  ])('%j', (port, url) => {
    expect(forwardUrl(port, 8080)).toBe(url);
  });
});

describe('formatForwards', () => {
  it('one aligned line a port: service, URL, the Service port', () => {
    expect(
      formatForwards([
        { service: 'qed-nginx', portName: 'http', servicePort: 80, localPort: 80, url: 'http://127.0.0.1:80' },
        { service: 'qed-nginx', portName: 'flask', servicePort: 7777, localPort: 7777, url: 'http://127.0.0.1:7777' },
        { service: 'redis', portName: '', servicePort: 6379, localPort: 6380, url: 'tcp://127.0.0.1:6380' },
      ]),
    ).toEqual([
      'qed-nginx  http://127.0.0.1:80   -> qed-nginx:80 (http)',
      'qed-nginx  http://127.0.0.1:7777 -> qed-nginx:7777 (flask)',
      'redis      tcp://127.0.0.1:6380  -> redis:6379',
    ]);
  });
});

describe('pickEndpoint', () => {
  const slice = (endpoints: Array<[string, boolean | undefined, boolean?]>, ports = [{ name: '', port: 8080 }]): EndpointSlice => ({
    metadata: { name: 'web-abc', labels: { 'kubernetes.io/service-name': 'web' } },
    ports,
    endpoints: endpoints.map(([pod, ready, terminating]) => ({
      conditions: { ...(ready === undefined ? {} : { ready }), ...(terminating === undefined ? {} : { terminating }) },
      targetRef: { kind: 'Pod', name: pod },
    })),
  });

  it('a ready pod with the port the Service port maps to (the target port)', () => {
    expect(pickEndpoint([slice([['web-2', true], ['web-1', true]])], '', undefined)).toEqual({ pod: 'web-1', port: 8080 });
  });

  it('stays with the pod used before while it is ready', () => {
    expect(pickEndpoint([slice([['web-1', true], ['web-2', true]])], '', 'web-2')).toEqual({ pod: 'web-2', port: 8080 });
  });

  it('leaves pods that are not ready or terminating (a rollout); an unset ready means ready', () => {
    expect(pickEndpoint([slice([['web-old', true, true], ['web-new', false]])], '', 'web-old')).toBeUndefined();
    expect(pickEndpoint([slice([['web-old', true, true], ['web-new', undefined]])], '', 'web-old')).toEqual({ pod: 'web-new', port: 8080 });
  });

  it('finds the port by the Service port name', () => {
    const named = slice([['web-1', true]], [
      { name: 'http', port: 80 },
      { name: 'flask', port: 7777 },
    ]);
    expect(pickEndpoint([named], 'flask', undefined)).toEqual({ pod: 'web-1', port: 7777 });
    expect(pickEndpoint([named], 'other', undefined)).toBeUndefined();
  });
});
