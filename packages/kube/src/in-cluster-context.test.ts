import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsTransport } from './context-credentials.js';
import { inClusterContext } from './in-cluster-context.js';

describe('inClusterContext', () => {
  it("is the pod's service account: the API server from the environment, the CA and the token from the mounted files", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-in-cluster-'));
    const env = { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' };
    expect(await inClusterContext(env, dir)).toBeNull();
    await writeFile(path.join(dir, 'token'), 'sa-token\n');
    await writeFile(path.join(dir, 'ca.crt'), 'sa-ca');
    expect(await inClusterContext({}, dir)).toBeNull();
    const context = await inClusterContext(env, dir);
    expect(context).toMatchObject({ name: 'in-cluster', server: 'https://[fd00::1]:443', namespace: undefined });
    await writeFile(path.join(dir, 'namespace'), 'team-a');
    const named = await inClusterContext({ ...env, KUBERNETES_SERVICE_HOST: '10.96.0.1' }, dir);
    expect(named).toMatchObject({ server: 'https://10.96.0.1:443', namespace: 'team-a' });
    expect(await credentialsTransport(named ?? never())()).toEqual({
      server: 'https://10.96.0.1:443',
      ca: Buffer.from('sa-ca'),
      headers: { Authorization: 'Bearer sa-token' },
    });
  });
});

function never(): never {
  throw new Error('no in-cluster context');
}
