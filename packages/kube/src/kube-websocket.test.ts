import { describe, expect, it } from 'vitest';
import { webSocketUrl } from './kube-websocket.js';

describe('webSocketUrl', () => {
  it('speaks wss to an https server, repeating a key given as an array in order', () => {
    const url = webSocketUrl(new URL('https://192.0.2.2:8443'), '/api/v1/namespaces/qed/pods/web-1/exec', {
      command: ['tar', '-xmf', '-', '-C', '/'],
      container: 'web',
      stdin: 'true',
      tty: undefined,
    });
    expect(url.href).toBe('wss://192.0.2.2:8443/api/v1/namespaces/qed/pods/web-1/exec?command=tar&command=-xmf&command=-&command=-C&command=%2F&container=web&stdin=true');
  });

  it('speaks ws to a plain-HTTP server (kubectl proxy)', () => {
    expect(webSocketUrl(new URL('http://127.0.0.1:8001'), '/api/v1/namespaces/qed/pods/web-1/portforward', { ports: '80' }).href).toBe(
      'ws://127.0.0.1:8001/api/v1/namespaces/qed/pods/web-1/portforward?ports=80',
    );
  });
});
