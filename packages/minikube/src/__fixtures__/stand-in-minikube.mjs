#!/usr/bin/env node
// A stand-in for the minikube and kubectl CLIs, for lifecycle tests of drivers the
// test environment cannot run (VMs). Its words are the real minikube's: every
// status, profile list and version answer is one recorded from minikube v1.38.1
// (./minikube-v1.38.1, see tools/testenv/scripts/record-minikube-outputs.mjs) with
// the profile's name and settings put in. It keeps its state in the JSON file named
// by STAND_IN_STATE: { version, profiles: { name: { status, config } }, context, calls, failStart }.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const recorded = (name) => JSON.parse(readFileSync(new URL(`./minikube-v1.38.1/${name}.json`, import.meta.url), 'utf8'));
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
const absent = recorded('status-absent');
const notFound = absent.stdout.replaceAll('qed-no-such-profile', profile);
const statusOf = (p, s) => {
  const r = recorded(s === 'Running' ? 'status-running' : 'status-stopped');
  return { exitCode: r.exitCode, stdout: `${JSON.stringify({ ...JSON.parse(r.stdout), Name: p })}\n` };
};
// The recorded profile's Config, every key minikube writes, with this profile's settings in it.
const recordedProfile = JSON.parse(recorded('profile-list-running').stdout).valid[0];

switch (args[0]) {
  case 'version':
    exit(0, `${JSON.stringify({ ...JSON.parse(recorded('version').stdout), minikubeVersion: state.version })}\n`);
    break;
  case 'status': {
    if (!current) exit(absent.exitCode, notFound);
    const status = statusOf(profile, current.status);
    exit(status.exitCode, status.stdout);
    break;
  }
  case 'profile': {
    const valid = Object.entries(state.profiles).map(([name, p]) => ({
      ...recordedProfile,
      Name: name,
      Status: p.status === 'Running' ? 'OK' : 'Stopped',
      Config: { ...recordedProfile.Config, ...p.config, KubernetesConfig: { ...recordedProfile.Config.KubernetesConfig, ...p.config.KubernetesConfig } },
      ActiveKubeContext: state.context === name,
    }));
    if (valid.length === 0) {
      const none = recorded('profile-list-none');
      exit(none.exitCode, none.stdout, none.stderr);
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
    if (!current) exit(absent.exitCode, notFound);
    current.status = 'Stopped';
    exit(0, `* Stopping node "${profile}"  ...\n* 1 node stopped.\n`);
    break;
  case 'delete':
    delete state.profiles[profile];
    if (state.context === profile) state.context = null;
    exit(0, `* Removed all traces of the "${profile}" cluster.\n`);
    break;
  case 'ip':
    if (!current) exit(absent.exitCode, notFound);
    exit(0, '192.168.59.100\n');
    break;
  case 'ssh':
    exit(current?.status === 'Running' ? 0 : 80);
    break;
  default:
    exit(14, '', `stand-in minikube: unsupported ${args.join(' ')}\n`);
}
