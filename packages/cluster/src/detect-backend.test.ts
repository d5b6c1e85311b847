import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultQedConfig } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { replayMinikube } from './__fixtures__/recorded-minikube.js';
import type { BackendDeps } from './cluster-backend.js';
import { detectBackend, recogniseContext } from './detect-backend.js';
import { findContextEntry } from './find-context-entry.js';

const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));
const MINIKUBE = fixture('minikube-v1.38.1-kubeconfig.yaml');
const KIND = fixture('kind-kubeconfig.yaml');

function deps(runner = new FakeCommandRunner()): BackendDeps {
  return {
    runner,
    platform: () => Promise.reject(new Error('not read when detecting')),
    doctor: () => Promise.reject(new Error('not read when detecting')),
    cluster: () => Promise.reject(new Error('no cluster in unit tests')),
  };
}

async function home(config?: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-detect-'));
  if (config) {
    await mkdir(path.join(dir, '.kube'));
    await copyFile(config, path.join(dir, '.kube', 'config'));
  }
  return dir;
}

const nodePort = { namespace: 'qed', name: 'qed-nginx', type: 'NodePort' };

describe('detectBackend from a kube context', () => {
  it('a context minikube v1.38.1 wrote (recorded) is minikube, with the context as its profile', async () => {
    const homeDir = await home(MINIKUBE);
    const entry = await findContextEntry('minikube', { env: {}, homeDir });
    expect(entry).toEqual({ name: 'minikube', file: path.join(homeDir, '.kube', 'config'), providers: ['minikube.sigs.k8s.io'] });
    expect(recogniseContext(entry)).toEqual({ product: 'minikube', profile: 'minikube' });

    // The profile's driver is read from minikube itself: none, so the node is this machine.
    const runner = replayMinikube(new FakeCommandRunner(), 'profile-list-running', 'status-running');
    const backend = await detectBackend({ kind: 'context', context: 'minikube' }, { ...deps(runner), env: {}, homeDir });
    expect([backend.kind, backend.kubeContext, backend.description]).toEqual(['existing-context', 'minikube', 'the existing context minikube (made by minikube)']);
    expect(await backend.registryHosting('127.0.0.1:5050')).toEqual({ hosting: { hostFromContainerRuntime: '127.0.0.1:5050' } });
    expect(runner.commandLines).toEqual(['minikube profile list -o json', 'minikube status -p minikube -o json']);
    expect(backend.serviceAccess(nodePort)).toEqual(['minikube service -p minikube -n qed qed-nginx --url']);
    expect(backend.serviceAccess({ ...nodePort, type: 'ClusterIP' })).toBeNull();
    // Used as it is: `up` only checks it, whoever made it.
    expect((await backend.planUp()).action).toBe('check');
  });

  it('a minikube context whose profile minikube no longer knows (or no minikube) gets the VM and node-container answer', async () => {
    const homeDir = await home(MINIKUBE);
    const runner = new FakeCommandRunner().on('minikube', undefined, { notInstalled: true });
    const backend = await detectBackend({ kind: 'context', context: 'minikube' }, { ...deps(runner), env: {}, homeDir });
    expect(await backend.registryHosting('127.0.0.1:5000')).toEqual({
      hosting: { hostFromContainerRuntime: 'host.minikube.internal:5000', hostFromClusterNetwork: 'host.minikube.internal:5000' },
    });
  });

  it('a kind context carries no extension: used as it is, nothing published, Services port-forwarded', async () => {
    const homeDir = await home(KIND);
    expect(recogniseContext(await findContextEntry('kind-kind', { env: {}, homeDir }))).toBeNull();
    const runner = new FakeCommandRunner();
    const backend = await detectBackend({ kind: 'context', context: 'kind-kind' }, { ...deps(runner), env: {}, homeDir });
    expect([backend.kind, backend.description]).toEqual(['existing-context', 'the existing context kind-kind']);
    const answer = await backend.registryHosting('127.0.0.1:5000');
    expect(answer).toEqual({ hosting: null, reason: expect.stringContaining('context kind-kind was not made by minikube') });
    expect(backend.serviceAccess(nodePort)).toBeNull();
    expect(runner.calls).toEqual([]);
  });

  it('KUBECONFIG with two files: each context from its own file, and the first file to name a context wins', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-detect-two-'));
    const env = { KUBECONFIG: [KIND, MINIKUBE].join(path.delimiter) };
    expect((await findContextEntry('kind-kind', { env, homeDir: dir }))?.file).toBe(KIND);
    expect(recogniseContext(await findContextEntry('minikube', { env, homeDir: dir }))).toEqual({ product: 'minikube', profile: 'minikube' });
    // A context named minikube without the extension, in a file listed first, is the one kubectl uses.
    const shadow = path.join(dir, 'shadow.yaml');
    await writeFile(shadow, 'apiVersion: v1\nkind: Config\ncontexts:\n- name: minikube\n  context: { cluster: elsewhere, user: me }\n');
    const first = { KUBECONFIG: [shadow, MINIKUBE].join(path.delimiter) };
    expect(await findContextEntry('minikube', { env: first, homeDir: dir })).toEqual({ name: 'minikube', file: shadow, providers: [] });
    const backend = await detectBackend({ kind: 'context', context: 'minikube' }, { ...deps(), env: first, homeDir: dir });
    expect(backend.description).toBe('the existing context minikube');
  });

  it('a missing file is passed over; with no file at all the context is used as it is', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-detect-missing-'));
    const missing = path.join(dir, 'no-such-kubeconfig');
    const env = { KUBECONFIG: [missing, MINIKUBE].join(path.delimiter) };
    expect(recogniseContext(await findContextEntry('minikube', { env, homeDir: dir }))).toEqual({ product: 'minikube', profile: 'minikube' });
    expect(await findContextEntry('minikube', { env: { KUBECONFIG: missing }, homeDir: dir })).toBeNull();
    expect(await findContextEntry('minikube', { env: {}, homeDir: dir })).toBeNull();
    const backend = await detectBackend({ kind: 'context', context: 'minikube' }, { ...deps(), env: {}, homeDir: dir });
    expect(backend.description).toBe('the existing context minikube');
  });

  it('a file that is not a kubeconfig is passed over too (the connection reports it)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-detect-broken-'));
    const broken = path.join(dir, 'broken.yaml');
    await writeFile(broken, 'contexts: [ { name: minikube\n');
    expect(await findContextEntry('minikube', { env: { KUBECONFIG: [broken, MINIKUBE].join(path.delimiter) }, homeDir: dir })).toMatchObject({ file: MINIKUBE });
  });
});

describe('detectBackend from --target minikube', () => {
  it('is the minikube backend for the configured profile, whatever the kubeconfig says', async () => {
    const target = { kind: 'minikube' as const, config: defaultQedConfig('/home/me'), flags: { profile: 'qed' } };
    const backend = await detectBackend(target, { ...deps(), env: {}, homeDir: await home(KIND) });
    expect([backend.kind, backend.kubeContext, backend.description]).toEqual(['minikube', 'qed', 'minikube profile qed']);
  });
});
