import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { QedError } from '@qed/core';
import { parse as parseDotenv } from 'dotenv';
import { emptyVolume, type ComposeProject, type FileObjectModel, type ServiceModel, type VolumeModel } from './model/compose-model.js';
import { FieldReader } from './model/field-reader.js';
import { mergeService } from './model/merge-services.js';
import { normalizeFile, type NormalizedFile } from './model/normalize-file.js';
import { COMPOSE_DOCS, type ComposeProblem, type ComposeWarning, composeInvalid, formatKeyPath, type KeyPath, type Location } from './source/compose-problem.js';
import { InterpolationError, interpolateString, type Lookup } from './source/interpolate.js';
import { readComposeFile } from './source/read-compose-file.js';

export interface LoadComposeOptions {
  /** -f files in order; later ones are merged onto earlier ones. */
  files: readonly string[];
  /** --env-file; default: .env beside the first file, when it exists. */
  envFile?: string;
  /** Variables of the environment; they win over the .env file, as in docker compose. */
  env: Readonly<Record<string, string | undefined>>;
  /** --profile; COMPOSE_PROFILES in `env` adds to it. */
  profiles?: readonly string[];
  cwd: string;
}

/**
 * Reads, interpolates, normalises and merges compose files into one project,
 * resolving extends, env_file and profiles. Any problem in any file (broken YAML,
 * a wrong type, a required variable unset) throws COMPOSE_INVALID listing all of
 * them with file:line:column and key; everything merely not translated is returned
 * as a warning.
 */
export async function loadCompose(options: LoadComposeOptions): Promise<ComposeProject> {
  if (options.files.length === 0) throw new QedError('COMPOSE_NO_FILES', 'no compose file given', { hint: 'Pass one with -f docker-compose.yml.' });
  const files = options.files.map((f) => path.resolve(options.cwd, f));
  const projectDir = path.dirname(files[0] ?? options.cwd);
  const dotenv = await readDotenv(options.envFile ? path.resolve(options.cwd, options.envFile) : path.join(projectDir, '.env'), options.envFile !== undefined);
  const lookup: Lookup = (name) => options.env[name] ?? dotenv[name];
  const context: LoadContext = { lookup, problems: [], warnings: [], unset: new Map(), cache: new Map() };

  let services = new Map<string, ServiceModel>();
  const volumes = new Map<string, VolumeModel>();
  const secrets = new Map<string, FileObjectModel>();
  const configs = new Map<string, FileObjectModel>();
  let name: string | undefined;
  for (const file of files) {
    const loaded = await loadFile(file, context);
    if (!loaded) continue;
    const resolved = await resolveExtends(loaded, file, context);
    for (const [serviceName, service] of resolved) {
      const earlier = services.get(serviceName);
      services.set(serviceName, earlier ? mergeService(earlier, service) : service);
    }
    for (const [volumeName, volume] of loaded.volumes) volumes.set(volumeName, volume);
    for (const [secretName, secret] of loaded.secrets) secrets.set(secretName, secret);
    for (const [configName, config] of loaded.configs) configs.set(configName, config);
    name = loaded.name ?? name;
  }
  reportUnset(context);
  if (context.problems.length > 0) throw composeInvalid(context.problems);

  for (const service of services.values()) await readEnvironment(service, context);
  services = selectProfiles(services, [...(options.profiles ?? []), ...(options.env.COMPOSE_PROFILES ?? '').split(',').filter(Boolean)], context);
  checkReferences(services, volumes, context);
  checkFileReferences(services, secrets, configs, context);
  if (context.problems.length > 0) throw composeInvalid(context.problems);

  return {
    name: name ?? path.basename(projectDir),
    projectDir,
    services: [...services.values()],
    volumes,
    secrets,
    configs,
    warnings: context.warnings,
  };
}

interface LoadContext {
  lookup: Lookup;
  problems: ComposeProblem[];
  warnings: ComposeWarning[];
  /** Unset variables and where each was first used. */
  unset: Map<string, { first: Location & { key: string }; count: number }>;
  cache: Map<string, NormalizedFile | null>;
}

async function loadFile(file: string, context: LoadContext): Promise<NormalizedFile | null> {
  const cached = context.cache.get(file);
  if (cached !== undefined) return cached;
  context.cache.set(file, null);
  let source: Awaited<ReturnType<typeof readComposeFile>>;
  try {
    source = await readComposeFile(file);
  } catch (error) {
    const problems = (error as QedError).data?.problems as ComposeProblem[] | undefined;
    if (!problems) throw error;
    context.problems.push(...problems);
    return null;
  }
  const value = interpolateTree(source.value, [], (p, message) => context.problems.push({ ...source.locate(p), key: formatKeyPath(p), message }), (p, variables) => {
    for (const variable of variables) {
      const seen = context.unset.get(variable);
      if (seen) seen.count++;
      else context.unset.set(variable, { first: { ...source.locate(p), key: formatKeyPath(p) }, count: 1 });
    }
  }, context.lookup);
  const reader = new FieldReader({ ...source, value });
  const normalized = normalizeFile(value, reader);
  context.problems.push(...reader.problems);
  context.warnings.push(...reader.warnings);
  context.cache.set(file, normalized);
  return normalized;
}

/** Interpolates every string value (never a key); `x-` extension blocks too, as compose does. */
function interpolateTree(
  value: unknown,
  at: KeyPath,
  onError: (path: KeyPath, message: string) => void,
  onUnset: (path: KeyPath, variables: string[]) => void,
  lookup: Lookup,
): unknown {
  if (typeof value === 'string') {
    try {
      const result = interpolateString(value, lookup);
      if (result.unset.length > 0) onUnset(at, result.unset);
      return result.value;
    } catch (error) {
      if (!(error instanceof InterpolationError)) throw error;
      onError(at, error.message);
      return value;
    }
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolateTree(item, [...at, i], onError, onUnset, lookup));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateTree(v, [...at, k], onError, onUnset, lookup)]));
  }
  return value;
}

function reportUnset(context: LoadContext): void {
  for (const [variable, { first, count }] of context.unset) {
    context.warnings.push({
      ...first,
      message: `variable ${variable} is not set: it became an empty string${count > 1 ? ` (${count} places)` : ''}; set it in the environment or the .env file, or give a default with \${${variable}:-value}`,
    });
  }
}

async function readDotenv(file: string, explicit: boolean): Promise<Record<string, string>> {
  try {
    return parseDotenv(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !explicit) return {};
    throw new QedError('COMPOSE_ENV_FILE', `cannot read the env file ${file}`, { hint: 'Check the path given to --env-file.', cause: error, docsUrl: COMPOSE_DOCS });
  }
}

/** Each service's `extends`, recursively, from this file or another; a cycle is a problem. */
async function resolveExtends(file: NormalizedFile, fileName: string, context: LoadContext): Promise<Map<string, ServiceModel>> {
  const resolved = new Map<string, ServiceModel>();
  for (const [name, service] of file.services) {
    const result = await resolveOne(service, fileName, context, []);
    if (result) resolved.set(name, result);
  }
  return resolved;
}

async function resolveOne(service: ServiceModel, fileName: string, context: LoadContext, chain: string[]): Promise<ServiceModel | null> {
  const ref = service.extends;
  if (!ref) return service;
  const key = `${fileName}#${service.name}`;
  if (chain.includes(key)) {
    context.problems.push({ ...ref.at, key: `services.${service.name}.extends`, message: `extends loops: ${[...chain, key].map((k) => k.split('#')[1]).join(' -> ')}` });
    return null;
  }
  const baseFile = ref.file ? path.resolve(path.dirname(fileName), ref.file) : fileName;
  const loaded = await loadFile(baseFile, context);
  if (!loaded) {
    if (context.problems.length === 0) context.problems.push({ ...ref.at, key: `services.${service.name}.extends`, message: `cannot read ${baseFile}` });
    return null;
  }
  const base = loaded.services.get(ref.service);
  if (!base) {
    context.problems.push({ ...ref.at, key: `services.${service.name}.extends.service`, message: `no service "${ref.service}" in ${baseFile}` });
    return null;
  }
  const resolvedBase = await resolveOne(base, baseFile, context, [...chain, key]);
  if (!resolvedBase) return null;
  // As docker compose documents: links, volumes_from and depends_on stay with the
  // service that declares them; relative paths in the base resolve against its own file.
  const inherited: ServiceModel = { ...resolvedBase, links: [], volumesFrom: [], dependsOn: [], extends: undefined };
  const merged = mergeService(inherited, { ...service, extends: undefined });
  delete merged.extends;
  return merged;
}

/**
 * env_file values go under `environment`, which wins, as in docker compose; an
 * entry written without a value (`- KEY`) takes the value of the environment or .env.
 */
async function readEnvironment(service: ServiceModel, context: LoadContext): Promise<void> {
  for (const [key, value] of service.environment) {
    if (value === undefined) service.environment.set(key, context.lookup(key));
  }
  if (service.envFiles.length === 0) return;
  const fromFiles = new Map<string, string>();
  for (const ref of service.envFiles) {
    const file = path.resolve(path.dirname(ref.at.file), ref.path);
    try {
      for (const [k, v] of Object.entries(parseDotenv(await readFile(file, 'utf8')))) fromFiles.set(k, v);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!ref.required && code === 'ENOENT') continue;
      context.warnings.push({
        ...ref.at,
        service: service.name,
        key: `services.${service.name}.env_file`,
        message: `env_file ${file} cannot be read (${code ?? (error as Error).message}): its variables are not set; create it or pass them under environment`,
      });
    }
  }
  const merged = new Map<string, string | undefined>(fromFiles);
  for (const [key, value] of service.environment) if (value !== undefined || !merged.has(key)) merged.set(key, value);
  service.environment = merged;
}

/** Services without profiles always run; the others only when one of their profiles is on. */
function selectProfiles(services: Map<string, ServiceModel>, active: string[], context: LoadContext): Map<string, ServiceModel> {
  const selected = new Map<string, ServiceModel>();
  const on = new Set(active);
  for (const [name, service] of services) {
    if (service.profiles.length === 0 || on.has('*') || service.profiles.some((p) => on.has(p))) selected.set(name, service);
  }
  for (const service of selected.values()) {
    for (const dependency of service.dependsOn) {
      const skipped = services.get(dependency.service);
      if (skipped && !selected.has(dependency.service)) {
        context.warnings.push({
          ...dependency.at,
          service: service.name,
          key: `services.${service.name}.depends_on`,
          message: `depends on ${dependency.service}, which is left out (profiles ${skipped.profiles.join(', ')}); enable one with --profile`,
        });
      }
    }
  }
  return selected;
}

/** References to services and volumes that do not exist: docker compose refuses them; we say so and go on where we can. */
function checkReferences(services: Map<string, ServiceModel>, volumes: Map<string, VolumeModel>, context: LoadContext): void {
  for (const service of services.values()) {
    for (const link of service.links) {
      if (!services.has(link.service)) {
        context.warnings.push({ ...link.at, service: service.name, key: `services.${service.name}.links`, message: `links to "${link.service}", which is not a service here; the link is dropped` });
      }
    }
    for (const dependency of service.dependsOn) {
      if (!services.has(dependency.service)) {
        context.warnings.push({ ...dependency.at, service: service.name, key: `services.${service.name}.depends_on`, message: `depends on "${dependency.service}", which is not a service here` });
      }
    }
    for (const from of service.volumesFrom) {
      if (!services.has(from.service)) {
        context.problems.push({ ...from.at, key: `services.${service.name}.volumes_from`, message: `"${from.service}" is not a service here, so its volumes cannot be mounted` });
      }
    }
    for (const volume of service.volumes) {
      if (volume.type === 'volume' && !volumes.has(volume.source)) {
        // Version 1 files never declare volumes; later versions must.
        volumes.set(volume.source, emptyVolume(volume.source, volume.at));
      }
    }
  }
}

/**
 * Each secret and config a service uses must be defined, as docker compose requires;
 * an `environment:` one takes its value now, from the environment or .env.
 */
function checkFileReferences(
  services: Map<string, ServiceModel>,
  secrets: Map<string, FileObjectModel>,
  configs: Map<string, FileObjectModel>,
  context: LoadContext,
): void {
  for (const definition of [...secrets.values(), ...configs.values()]) {
    if (definition.environment === undefined) continue;
    const value = context.lookup(definition.environment);
    if (value !== undefined) definition.environmentValue = value;
  }
  for (const service of services.values()) {
    for (const [key, defined] of [['secrets', secrets], ['configs', configs]] as const) {
      for (const mount of service[key]) {
        if (defined.has(mount.source)) continue;
        context.problems.push({
          ...mount.at,
          key: `services.${service.name}.${key}`,
          message: `uses ${key.slice(0, -1)} "${mount.source}", which the top-level ${key} do not define${defined.size > 0 ? ` (defined: ${[...defined.keys()].join(', ')})` : ''}`,
        });
      }
    }
  }
}
