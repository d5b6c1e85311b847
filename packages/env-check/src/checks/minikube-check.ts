import { compareVersions, MINIMUM_MINIKUBE_VERSION, parseVersion, versionConstant } from '@qed/core';
import { defineCheck } from '../define-check.js';
import { hintFor } from '../hint-for.js';
import { firstLine, parseJsonObject, runTool } from '../run-tool.js';


export const MINIKUBE_VERSION_ARGS = ['version', '-o', 'json'] as const;

const MINIMUM = versionConstant(MINIMUM_MINIKUBE_VERSION);

export const minikubeCheck = defineCheck('minikube', 'minikube', async (ctx, report) => {
  const required = `>= ${MINIMUM_MINIKUBE_VERSION}`;
  const linuxBinary = ctx.platform.arch === 'arm64' ? 'minikube-linux-arm64' : 'minikube-linux-amd64';
  const linuxInstall = `curl -LO https://storage.googleapis.com/minikube/releases/latest/${linuxBinary} && sudo install ${linuxBinary} /usr/local/bin/minikube (see https://minikube.sigs.k8s.io/docs/start/)`;
  const result = await runTool(ctx, { command: 'minikube', args: MINIKUBE_VERSION_ARGS });
  if (!result) {
    return report({
      status: 'fail',
      required,
      detail: 'minikube is not installed (not on PATH)',
      hint: `Install minikube: ${hintFor(ctx.platform.os, {
        macos: 'brew install minikube',
        windows: 'winget install Kubernetes.minikube (or choco install minikube)',
        linux: linuxInstall,
      })}`,
    });
  }
  const upgrade = `Upgrade minikube: ${hintFor(ctx.platform.os, {
    macos: 'brew upgrade minikube',
    windows: 'winget upgrade Kubernetes.minikube (or choco upgrade minikube)',
    linux: linuxInstall,
  })}`;
  const json = parseJsonObject(result.stdout);
  const printed = typeof json?.minikubeVersion === 'string' ? json.minikubeVersion : null;
  const version = printed ? parseVersion(printed) : null;
  if (!version) {
    // minikube releases too old for `-o json` reject the flag.
    return report({
      status: 'fail',
      required,
      detail: `could not read the output of minikube ${MINIKUBE_VERSION_ARGS.join(' ')}: ${firstLine(result.stderr || result.stdout) || `exit code ${result.exitCode}`}`,
      hint: upgrade,
    });
  }
  if (compareVersions(version, MINIMUM) < 0) {
    return report({
      status: 'fail',
      version: version.text,
      required,
      detail: `minikube ${version.text} is older than ${MINIMUM_MINIKUBE_VERSION}`,
      hint: upgrade,
    });
  }
  return report({ status: 'ok', version: version.text, required, detail: `minikube ${version.text}` });
});
