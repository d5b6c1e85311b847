#!/usr/bin/env node
// A stand-in for the minikube and kubectl CLIs (real minikube cannot run in the
// test environment: no VM, no hypervisor). It answers in minikube's JSON formats
// and exit codes and keeps its state in the JSON file named by STAND_IN_STATE:
// { version, profiles: { name: { status, config } }, context, calls, failStart }.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const stateFile = process.env.STAND_IN_STATE;
const state = JSON.parse(readFileSync(stateFile, 'utf8'));
const tool = path.basename(process.argv[1]);
const args = process.argv.slice(2);
state.calls.push([tool, ...args].join(' '));
const save = () => writeFileSync(stateFile, JSON.stringify(state, null, 2));
const exit = (code, stdout = '', stderr = '') => {
  save();
  if (stdout) process.stdout.write(stdout);
  if (stderr) process.stderr.write(stderr);
  process.exit(code);
};
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const flags = (name) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
const mb = (v, fallback) => (v === undefined ? fallback : Number.parseInt(v, 10));

if (tool === 'kubectl') {
  if (args[0] === 'config' && args[1] === 'current-context') {
    if (!state.context) exit(1, '', 'error: current-context is not set\n');
    exit(0, `${state.context}\n`);
  }
  if (args[0] === 'config' && args[1] === 'use-context') {
    if (!state.profiles[args[2]]) exit(1, '', `error: no context exists with the name: "${args[2]}"\n`);
    state.context = args[2];
    exit(0, `Switched to context "${args[2]}".\n`);
  }
  exit(1, '', `stand-in kubectl: unsupported ${args.join(' ')}\n`);
}

const profile = flag('-p') ?? 'minikube';
const current = state.profiles[profile];
const notFound = `* Profile "${profile}" not found. Run "minikube profile list" to view all profiles.\n  To start a cluster, run: "minikube start -p ${profile}"\n`;
const nodeStatus = (p, s) => {
  const v = s === 'Running' ? 'Running' : 'Stopped';
  return { Name: p, Host: v, Kubelet: v, APIServer: v, Kubeconfig: s === 'Running' ? 'Configured' : 'Stopped', Worker: false };
};

switch (args[0]) {
  case 'version':
    exit(0, `${JSON.stringify({ commit: 'f8f52f5de11fc6ad8244afac475e1d0f96841df1', minikubeVersion: state.version })}\n`);
    break;
  case 'status':
    if (!current) exit(85, notFound);
    exit(current.status === 'Running' ? 0 : 7, `${JSON.stringify(nodeStatus(profile, current.status))}\n`);
    break;
  case 'profile': {
    const valid = Object.entries(state.profiles).map(([name, p]) => ({
      Name: name,
      Status: p.status === 'Running' ? 'OK' : 'Stopped',
      Config: p.config,
      Active: false,
      ActiveKubeContext: state.context === name,
    }));
    if (valid.length === 0) {
      exit(85, '', '* Exiting due to MK_USAGE_NO_PROFILE: No minikube profile was found.\n');
    }
    exit(0, `${JSON.stringify({ invalid: [], valid })}\n`);
    break;
  }
  case 'start': {
    if (state.failStart) exit(state.failStart.exitCode, state.failStart.stdout ?? '', state.failStart.stderr ?? '');
    if (current) {
      current.status = 'Running';
    } else {
      const registries = flags('--insecure-registry');
      state.profiles[profile] = {
        status: 'Running',
        config: {
          Name: profile,
          Driver: flag('--driver') ?? 'docker',
          HypervVirtualSwitch: flag('--hyperv-virtual-switch') ?? '',
          CPUs: Number(flag('--cpus') ?? 2),
          Memory: mb(flag('--memory'), 2200),
          DiskSize: mb(flag('--disk-size'), 20000),
          InsecureRegistry: registries.length ? registries : null,
          Mount: args.includes('--mount'),
          MountString: flag('--mount-string') ?? '',
          KubernetesConfig: {
            KubernetesVersion: flag('--kubernetes-version') ?? 'v1.34.0',
            ClusterName: profile,
            ContainerRuntime: flag('--container-runtime') ?? 'docker',
          },
        },
      };
    }
    state.context = profile;
    exit(0, `* [${profile}] minikube ${state.version}\n* Done! kubectl is now configured to use "${profile}" cluster and "default" namespace by default\n`);
    break;
  }
  case 'stop':
    if (!current) exit(85, notFound);
    current.status = 'Stopped';
    exit(0, `* Stopping node "${profile}"  ...\n* 1 node stopped.\n`);
    break;
  case 'delete':
    delete state.profiles[profile];
    if (state.context === profile) state.context = null;
    exit(0, `* Removed all traces of the "${profile}" cluster.\n`);
    break;
  case 'ip':
    if (!current) exit(85, notFound);
    exit(0, '192.168.59.100\n');
    break;
  case 'ssh':
    exit(current?.status === 'Running' ? 0 : 80);
    break;
  default:
    exit(14, '', `stand-in minikube: unsupported ${args.join(' ')}\n`);
}
