import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandRunner } from '@qed/core';
import type { TestenvLayout } from './layout.js';
import { type Pki, SERVICE_CIDR } from './pki.js';
import { findFreePort, isPortListening, startDaemon, waitFor } from './processes.js';
import { type PinnedVersions, TESTENV_ROOT } from './versions.js';

export interface ControlPlanePorts {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
  kwok: number;
}

export const FAKE_NODE_NAMES = ['qed-testenv-node-1', 'qed-testenv-node-2'] as const;
export const POD_CIDR = '10.244.0.0/16';

export async function allocateControlPlanePorts(): Promise<ControlPlanePorts> {
  return {
    etcdClient: await findFreePort(),
    etcdPeer: await findFreePort(),
    apiserver: await findFreePort(),
    controllerManager: await findFreePort(),
    scheduler: await findFreePort(),
    kwok: await findFreePort(),
  };
}

interface StartContext {
  layout: TestenvLayout;
  versions: PinnedVersions;
  ports: ControlPlanePorts;
  pki: Pki;
  runner: CommandRunner;
  record: (name: string, pid: number) => Promise<void>;
  progress: (message: string) => void;
}

/** Where build-binaries.sh put a binary: <name>-<version>-r<recipe revision>. */
export const binaryPath = (layout: TestenvLayout, versions: PinnedVersions, name: string, version: string) =>
  path.join(layout.binDir, `${name}-${version}-r${versions.buildRevision}`);
const bin = (ctx: StartContext, name: string, version: string) => binaryPath(ctx.layout, ctx.versions, name, version);

/**
 * kube-apiserver's flags. A private API server (private-apiserver.ts) differs only
 * in its port and in `etcdPrefix`, the key prefix that keeps its objects apart
 * from the shared server's in the same etcd.
 */
export function apiserverArgs(options: { etcdUrl: string; port: number; pki: Pki; etcdPrefix?: string }): string[] {
  const { etcdUrl, port, pki } = options;
  return [
    `--etcd-servers=${etcdUrl}`,
    ...(options.etcdPrefix ? [`--etcd-prefix=${options.etcdPrefix}`] : []),
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${port}`,
    `--tls-cert-file=${pki.apiserverCert}`,
    `--tls-private-key-file=${pki.apiserverKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--authorization-mode=Node,RBAC',
    '--allow-privileged=true',
    // Only the loopback address exists for the API server here.
    '--endpoint-reconciler-type=none',
  ];
}

const log = (ctx: StartContext, name: string) => path.join(ctx.layout.logsDir, `${name}.log`);

/** etcd, then the API server, then controller-manager, scheduler and kwok, each started only once its dependency answers. */
export async function startControlPlane(ctx: StartContext): Promise<void> {
  const { layout, ports, pki, versions } = ctx;
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/' };

  ctx.progress('starting etcd');
  const etcdUrl = `http://127.0.0.1:${ports.etcdClient}`;
  const peerUrl = `http://127.0.0.1:${ports.etcdPeer}`;
  await ctx.record(
    'etcd',
    startDaemon(
      bin(ctx, 'etcd', versions.etcd),
      [
        '--name=qed-testenv',
        `--data-dir=${layout.etcdDataDir}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=qed-testenv=${peerUrl}`,
        '--log-level=warn',
        // A test store: fsync per write would dominate start-up on slow disks.
        '--unsafe-no-fsync',
      ],
      log(ctx, 'etcd'),
      env,
    ),
  );
  await waitFor('etcd', () => httpOk(`${etcdUrl}/health`), 30_000, log(ctx, 'etcd'));

  ctx.progress('starting kube-apiserver');
  await ctx.record(
    'kube-apiserver',
    startDaemon(
      bin(ctx, 'kube-apiserver', versions.kubernetes),
      apiserverArgs({ etcdUrl, port: ports.apiserver, pki }),
      log(ctx, 'kube-apiserver'),
      env,
    ),
  );
  await waitFor(
    'kube-apiserver',
    async () => (await kubectl(ctx, ['get', '--raw', '/readyz'])).exitCode === 0,
    90_000,
    log(ctx, 'kube-apiserver'),
  );

  ctx.progress('starting kube-controller-manager, kube-scheduler and kwok');
  await ctx.record(
    'kube-controller-manager',
    startDaemon(
      bin(ctx, 'kube-controller-manager', versions.kubernetes),
      [
        ...componentFlags(layout.kubeconfig, ports.controllerManager),
        `--service-account-private-key-file=${pki.serviceAccountKey}`,
        `--root-ca-file=${pki.caCert}`,
        `--cluster-signing-cert-file=${pki.caCert}`,
        `--cluster-signing-key-file=${pki.caKey}`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        '--leader-elect=false',
        '--use-service-account-credentials=false',
      ],
      log(ctx, 'kube-controller-manager'),
      env,
    ),
  );
  await ctx.record(
    'kube-scheduler',
    startDaemon(
      bin(ctx, 'kube-scheduler', versions.kubernetes),
      [
        ...componentFlags(layout.kubeconfig, ports.scheduler),
        '--leader-elect=false',
      ],
      log(ctx, 'kube-scheduler'),
      env,
    ),
  );
  // The standalone kwok has no built-in stages: ours are in kwok-stages.yaml. A
  // private HOME keeps a user's ~/.kwok/kwok.yaml from being merged in.
  const kwokHome = path.join(layout.stateDir, 'kwok-home');
  await mkdir(kwokHome, { recursive: true });
  await ctx.record(
    'kwok',
    startDaemon(
      bin(ctx, 'kwok', versions.kwok),
      [
        `--kubeconfig=${layout.kubeconfig}`,
        // kwok must leave alone any node it did not get: only ours carry this annotation.
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        `--cidr=${POD_CIDR}`,
        '--node-ip=10.0.0.1',
        '--node-lease-duration-seconds=40',
        `--server-address=127.0.0.1:${ports.kwok}`,
        `--config=${path.join(TESTENV_ROOT, 'kwok-stages.yaml')}`,
      ],
      log(ctx, 'kwok'),
      { ...env, HOME: kwokHome },
    ),
  );
  await waitFor('kube-scheduler', () => isPortListening(ports.scheduler), 60_000, log(ctx, 'kube-scheduler'));
  await waitFor('kube-controller-manager', () => isPortListening(ports.controllerManager), 60_000, log(ctx, 'kube-controller-manager'));

  ctx.progress(`registering fake nodes ${FAKE_NODE_NAMES.join(', ')}`);
  const nodesFile = path.join(layout.stateDir, 'nodes.yaml');
  await writeFile(nodesFile, FAKE_NODE_NAMES.map(fakeNodeManifest).join('---\n'));
  const applied = await kubectl(ctx, ['apply', '-f', nodesFile]);
  if (applied.exitCode !== 0) throw new Error(`registering fake nodes failed: ${applied.stderr.trim()}`);
  await waitFor(
    'fake nodes Ready',
    async () => {
      const result = await kubectl(ctx, ['wait', '--for=condition=Ready', 'node', ...FAKE_NODE_NAMES, '--timeout=5s']);
      return result.exitCode === 0;
    },
    60_000,
    log(ctx, 'kwok'),
  );
  // Pods need the default ServiceAccount, which the controller-manager creates per namespace.
  await waitFor(
    'the default ServiceAccount',
    async () => (await kubectl(ctx, ['get', 'serviceaccount', 'default', '-n', 'default'])).exitCode === 0,
    60_000,
    log(ctx, 'kube-controller-manager'),
  );
}

/** controller-manager and scheduler: the admin kubeconfig for everything, serving on loopback. */
function componentFlags(kubeconfig: string, securePort: number): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${securePort}`,
  ];
}

function fakeNodeManifest(name: string): string {
  // No taint: the QED manifests must schedule here as they would on minikube.
  return `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/hostname: ${name}
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
status:
  allocatable: { cpu: "16", memory: 64Gi, pods: "110" }
  capacity: { cpu: "16", memory: 64Gi, pods: "110" }
`;
}

function kubectl(ctx: StartContext, args: string[]) {
  return ctx.runner.run({ command: 'kubectl', args: [`--kubeconfig=${ctx.layout.kubeconfig}`, ...args], timeoutMs: 30_000 });
}

async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return response.ok;
}
