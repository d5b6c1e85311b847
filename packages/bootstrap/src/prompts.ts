import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CLUSTER_DRIVERS,
  type ClusterDriver,
  DEFAULT_REGISTRY_HOST,
  DEFAULT_REGISTRY_PORT,
  formatRegistryEndpoint,
  parseRegistryEndpoint,
  QED_SERVICES,
  type QedConfig,
  type QedServiceName,
  readRegistryEndpoint,
  writeFileAtomic,
} from '@qed/core';
import { MANIFEST_PROFILES, type ManifestProfile } from '@qed/manifests';
import { parseDocument } from 'yaml';
import { type BootstrapTarget, formatTarget, parseTarget } from './target.js';

/** The questions the bootstrap asks, as an interface: the CLI answers with @inquirer/prompts, tests with a script. */
export interface Prompter {
  select<T extends string>(question: { message: string; choices: ReadonlyArray<{ value: T; name?: string }>; default?: T }): Promise<T>;
  input(question: { message: string; default?: string; validate?: (value: string) => true | string }): Promise<string>;
  checkbox<T extends string>(question: { message: string; choices: ReadonlyArray<{ value: T; checked: boolean }> }): Promise<T[]>;
  confirm(question: { message: string; default?: boolean }): Promise<boolean>;
}

export interface BootstrapAnswers {
  target: BootstrapTarget;
  driver: ClusterDriver;
  profile: ManifestProfile;
  cpus: number;
  memoryMb: number;
  services: QedServiceName[];
  registryPort: number;
  /** macOS only; null when not asked. */
  fixDockerConfig: boolean | null;
}

export interface AskOptions {
  config: QedConfig;
  target: BootstrapTarget;
  profile: ManifestProfile;
  /** Contexts in the kubeconfig, offered as targets. */
  contexts: readonly string[];
  macos: boolean;
}

const positiveInt = (min: number) => (value: string) => (/^\d+$/.test(value.trim()) && Number(value) >= min ? true : `a whole number, at least ${min}`);

/** Asks what matters, each question prefilled from qed.config.yaml and the flags. */
export async function askBootstrapAnswers(prompter: Prompter, options: AskOptions): Promise<BootstrapAnswers> {
  const { config } = options;
  const targets = ['minikube', ...options.contexts.map((c) => `context:${c}`)];
  const current = formatTarget(options.target);
  if (!targets.includes(current)) targets.push(current);
  const target = parseTarget(
    await prompter.select({
      message: 'Where should QED run?',
      choices: targets.map((value) => ({ value, name: value === 'minikube' ? 'minikube (a local cluster, created if needed)' : `${value} (an existing kube context)` })),
      default: current,
    }),
  );
  let driver = config.cluster.driver;
  let cpus = config.cluster.cpus;
  let memoryMb = config.cluster.memoryMb;
  if (target.kind === 'minikube') {
    driver = await prompter.select({ message: 'minikube driver', choices: CLUSTER_DRIVERS.map((value) => ({ value })), default: config.cluster.driver });
    cpus = Number(await prompter.input({ message: 'CPUs for the cluster', default: String(config.cluster.cpus), validate: positiveInt(2) }));
    memoryMb = Number(await prompter.input({ message: 'Memory for the cluster (MB)', default: String(config.cluster.memoryMb), validate: positiveInt(1800) }));
  }
  const profile = await prompter.select({
    message: 'Manifest profile',
    choices: MANIFEST_PROFILES.map((value) => ({ value, name: value === 'local' ? 'local (hostPath volumes under the data root)' : `${value} (storage classes)` })),
    default: options.profile,
  });
  const services = await prompter.checkbox({
    message: 'Services to deploy',
    choices: QED_SERVICES.map((value) => ({ value, checked: config.services.includes(value) })),
  });
  const currentPort = String(readRegistryEndpoint(config.registry.host)?.port ?? DEFAULT_REGISTRY_PORT);
  const registryPort = Number(
    await prompter.input({
      message: 'Local registry port (macOS: 5000 is often the AirPlay Receiver)',
      default: currentPort,
      validate: (value) => (/^\d+$/.test(value.trim()) && Number(value) > 0 && Number(value) < 65536 ? true : 'a port, 1-65535'),
    }),
  );
  const fixDockerConfig = options.macos
    ? await prompter.confirm({ message: "Fix docker's config.json if its credential store would break pushes to the local registry? (a backup is kept)", default: true })
    : null;
  return { target, driver, profile, cpus, memoryMb, services, registryPort, fixDockerConfig };
}

/** The config the answers describe. */
export function applyAnswers(config: QedConfig, answers: BootstrapAnswers): QedConfig {
  const { host } = readRegistryEndpoint(config.registry.host) ?? parseRegistryEndpoint(DEFAULT_REGISTRY_HOST);
  return {
    ...config,
    cluster: { ...config.cluster, driver: answers.driver, cpus: answers.cpus, memoryMb: answers.memoryMb },
    registry: { ...config.registry, host: formatRegistryEndpoint({ host, port: answers.registryPort }) },
    services: answers.services,
  };
}

/**
 * Writes the answers that are config keys into qed.config.yaml, through the yaml
 * Document API so the user's comments, order and other keys stay. The old file is
 * copied to `<file>.<UTC stamp>.bak` first; the write is atomic. Target and
 * profile are flags, not config keys, so they are not saved.
 */
export async function saveAnswers(file: string, previous: QedConfig, answers: BootstrapAnswers, now: Date): Promise<{ file: string; backup: string | null; changed: string[] }> {
  let text: string | null = null;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    text = null;
  }
  const doc = parseDocument(text ?? '');
  if (doc.contents === null) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  const wanted = applyAnswers(previous, answers);
  const changed: string[] = [];
  const set = (keys: string[], value: unknown, before: unknown) => {
    // Only what differs from the config in effect is written: defaults stay implicit.
    if (JSON.stringify(value) === JSON.stringify(before)) return;
    doc.setIn(keys, value);
    changed.push(keys.join('.'));
  };
  if (answers.target.kind === 'minikube') {
    set(['cluster', 'driver'], wanted.cluster.driver, previous.cluster.driver);
    set(['cluster', 'cpus'], wanted.cluster.cpus, previous.cluster.cpus);
    set(['cluster', 'memoryMb'], wanted.cluster.memoryMb, previous.cluster.memoryMb);
  }
  set(['registry', 'host'], wanted.registry.host, previous.registry.host);
  set(['services'], wanted.services, previous.services);
  if (changed.length === 0) return { file, backup: null, changed };
  let backup: string | null = null;
  if (text !== null) {
    backup = `${file}.${now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')}.bak`;
    await copyFile(file, backup);
  }
  await writeFileAtomic(path.resolve(file), doc.toString(), 0o644);
  return { file, backup, changed };
}
