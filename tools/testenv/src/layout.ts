import os from 'node:os';
import path from 'node:path';

/** Where the environment keeps everything it creates; one folder, removed by `down`. */
export interface TestenvLayout {
  stateDir: string;
  stateFile: string;
  envFile: string;
  kubeconfig: string;
  pkiDir: string;
  logsDir: string;
  etcdDataDir: string;
  podmanDir: string;
  podmanSocket: string;
  registryImageDir: string;
  leasesDir: string;
  /** One record per private kube-apiserver a test started (private-apiserver-records.ts), for `down` and the reaping of orphans. */
  privateApiServersDir: string;
  lockFile: string;
  /** Compiled binaries, kept across `down` (outside the repository). */
  binDir: string;
}

export function testenvLayout(repoRoot: string, env: NodeJS.ProcessEnv = process.env): TestenvLayout {
  const stateDir = path.resolve(env.QED_TESTENV_DIR ?? path.join(repoRoot, '.testenv'));
  const cache = env.QED_TESTENV_CACHE ?? path.join(os.homedir(), '.cache', 'qed-testenv');
  return {
    stateDir,
    stateFile: path.join(stateDir, 'state.json'),
    envFile: path.join(stateDir, 'env'),
    kubeconfig: path.join(stateDir, 'kubeconfig'),
    pkiDir: path.join(stateDir, 'pki'),
    logsDir: path.join(stateDir, 'logs'),
    etcdDataDir: path.join(stateDir, 'etcd'),
    podmanDir: path.join(stateDir, 'podman'),
    // unix socket paths are limited to ~107 bytes; the state dir is usually short enough.
    podmanSocket: path.join(stateDir, 'podman', 'podman.sock'),
    registryImageDir: path.join(stateDir, 'registry-image'),
    leasesDir: path.join(stateDir, 'leases'),
    privateApiServersDir: path.join(stateDir, 'private-apiservers'),
    // Outside the state dir so that `down` can remove the state dir while holding it.
    lockFile: `${stateDir}.lock`,
    binDir: path.join(cache, 'bin'),
  };
}
