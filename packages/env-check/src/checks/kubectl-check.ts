import { minorDistance, parseVersion } from '@qed/core';
import { defineCheck } from '../define-check.js';
import { hintFor } from '../hint-for.js';
import { firstLine, parseJsonObject, runTool } from '../run-tool.js';

/**
 * kubectl waits up to 30 s to dial a cluster that is gone (a stopped minikube VM
 * still named in the kubeconfig); bounding the request keeps the answer, client
 * version included, inside the check's own timeout.
 */
export const KUBECTL_VERSION_ARGS = ['version', '-o', 'json', '--request-timeout=5s'] as const;

/** Kubernetes' version skew policy: kubectl is supported within one minor version of the API server. */
const SUPPORTED_MINOR_SKEW = 1;

const INSTALL_HINT = {
  macos: 'brew install kubectl',
  windows: 'winget install Kubernetes.kubectl (or choco install kubernetes-cli)',
  linux:
    'see https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/ (or sudo snap install kubectl --classic)',
};

interface KubectlVersion {
  clientVersion?: { gitVersion?: string };
  serverVersion?: { gitVersion?: string };
}

export const kubectlCheck = defineCheck('kubectl', 'kubectl', async (ctx, report) => {
  const required = 'within one minor version of the cluster';
  const result = await runTool(ctx, {
    command: 'kubectl',
    args: KUBECTL_VERSION_ARGS,
    env: { KUBECONFIG: ctx.env.KUBECONFIG || undefined },
  });
  if (!result) {
    return report({
      status: 'fail',
      required: 'kubectl on PATH',
      detail: 'kubectl is not installed (not on PATH)',
      hint: `Install kubectl: ${hintFor(ctx.platform.os, INSTALL_HINT)}.`,
    });
  }
  // With no cluster reachable kubectl exits 1 but still prints the client part.
  const json = parseJsonObject(result.stdout) as KubectlVersion | null;
  const client = parseVersion(json?.clientVersion?.gitVersion ?? '');
  if (!client) {
    return report({
      status: 'fail',
      required,
      detail: `could not read the output of kubectl ${KUBECTL_VERSION_ARGS.join(' ')}: ${firstLine(result.stderr || result.stdout) || `exit code ${result.exitCode}`}`,
      hint: `Reinstall kubectl: ${hintFor(ctx.platform.os, INSTALL_HINT)}.`,
    });
  }
  const serverText = json?.serverVersion?.gitVersion;
  const server = serverText ? parseVersion(serverText) : null;
  if (!server) {
    const reason = result.exitCode === 0 ? '' : firstLine(result.stderr);
    return report({
      status: 'ok',
      version: client.text,
      required,
      detail: `client ${client.text}; no cluster reachable (fine before the cluster is started)${reason ? `: ${reason}` : ''}`,
    });
  }
  const skew = minorDistance(client, server);
  if (skew > SUPPORTED_MINOR_SKEW) {
    const apart = Number.isFinite(skew) ? `${skew} minor versions` : 'a major version';
    return report({
      status: 'warn',
      version: client.text,
      required: `${server.major}.${server.minor - 1} to ${server.major}.${server.minor + 1} (cluster ${server.text})`,
      detail: `kubectl ${client.text} is ${apart} away from the cluster's ${server.text}; kubectl supports one minor version of skew`,
      hint: `Install kubectl ${server.major}.${server.minor} (${hintFor(ctx.platform.os, INSTALL_HINT)}), or use the one matching the cluster: minikube kubectl -- <args>.`,
    });
  }
  return report({
    status: 'ok',
    version: client.text,
    required,
    detail: `client ${client.text}, cluster ${server.text}`,
  });
});
