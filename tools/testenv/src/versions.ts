import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** tools/testenv, whether running from src/ or dist/. */
export const TESTENV_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface PinnedVersions {
  kubernetes: string;
  etcd: string;
  kwok: string;
  minikube: string;
  criTools: string;
  coredns: string;
  buildRevision: string;
  debianPackages: string[];
}

/** versions.env is the one place versions are pinned; the shell scripts source it too. */
export function readPinnedVersions(file = `${TESTENV_ROOT}versions.env`): PinnedVersions {
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z_]+)=("?)(.*)\2$/.exec(line.trim());
    if (match?.[1] && match[3] !== undefined) values[match[1]] = match[3];
  }
  const need = (key: string) => {
    const value = values[key];
    if (!value) throw new Error(`${file}: ${key} is not set`);
    return value;
  };
  return {
    kubernetes: need('KUBERNETES_VERSION'),
    etcd: need('ETCD_VERSION'),
    kwok: need('KWOK_VERSION'),
    minikube: need('MINIKUBE_VERSION'),
    criTools: need('CRI_TOOLS_VERSION'),
    coredns: need('COREDNS_VERSION'),
    buildRevision: need('BUILD_REVISION'),
    debianPackages: need('DEBIAN_PACKAGES').split(/\s+/).filter(Boolean),
  };
}
