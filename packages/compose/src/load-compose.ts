import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { QedError } from '@qed/core';
import { parse as parseDotenv } from 'dotenv';
import { type ComposeProject, type ComposeResources, emptyVolume, type FileObjectModel, type NetworkModel, type ServiceModel, type VolumeModel } from './model/compose-model.js';
import { FieldReader } from './model/field-reader.js';
import { mergeService } from './model/merge-services.js';
import { type IncludeRef, normalizeFile, type NormalizedFile } from './model/normalize-file.js';
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

  const loaded = await loadFiles(files, context, []);
  let services = loaded.services;
  const { volumes, secrets, configs, networks } = loaded;
  reportUnset(context);
  if (context.problems.length > 0) throw composeInvalid(context.problems);

  for (const service of services.values()) await readEnvironment(service, context);
  services = selectProfiles(services, [...(options.profiles ?? []), ...(options.env.COMPOSE_PROFILES ?? '').split(',').filter(Boolean)], context);
  checkReferences(services, volumes, networks, context);
  checkFileReferences(services, secrets, configs, context);
  if (context.problems.length > 0) throw composeInvalid(context.problems);

  return {
    name: loaded.name ?? path.basename(projectDir),
    projectDir,
    services: [...services.values()],
    volumes,
    secrets,
    configs,
    networks,
    warnings: context.warnings,
  };
}

/** What a set of files defines, merged: the project's resources before profiles and checks. */
interface ProjectParts extends ComposeResources {
  services: Map<string, ServiceModel>;
  name?: string;
}

const RESOURCES = ['services', 'volumes', 'secrets', 'configs', 'networks'] as const;

function emptyParts(): ProjectParts {
  return { services: new Map(), volumes: new Map(), secrets: new Map(), configs: new Map(), networks: new Map() };
}

/**
 * -f files in order, each merged onto the ones before it as docker compose merges
 * them, with their `extends` resolved and their `include`s added. `chain` holds the
 * files that include these, to refuse a loop.
 */
async function loadFiles(files: readonly string[], context: LoadContext, chain: readonly string[]): Promise<ProjectParts> {
  const parts = emptyParts();
  for (const file of files) {
    const loaded = await loadFile(file, context);
    if (!loaded) continue;
    const own = await resolveExtends(loaded, file, context);
    const included = await loadIncludes(loaded.include, file, context, [...chain, file]);
    for (const [serviceName, service] of [...included.services, ...own]) {
      const earlier = parts.services.get(serviceName);
      parts.services.set(serviceName, earlier ? mergeService(earlier, service) : service);
    }
    for (const kind of ['volumes', 'secrets', 'configs', 'networks'] as const) {
      const target = parts[kind] as Map<string, unknown>;
      for (const [key, value] of [...included[kind], ...loaded[kind]]) target.set(key, value);
    }
    parts.name = loaded.name ?? parts.name;
  }
  return parts;
}

/**
 * A file's `include:` entries, each loaded as a project of its own (its relative paths
 * against its own folder, its variables from its own .env after ours) and added to
 * this one. A missing file and a loop are refused. What the including file defines
 * again is laid over the included definition, as compose-go (kompose's loader) does.
 */
async function loadIncludes(includes: readonly IncludeRef[], fileName: string, context: LoadContext, chain: readonly string[]): Promise<ProjectParts> {
  const result = emptyParts();
  for (const ref of includes) {
    const problem = (message: string) => context.problems.push({ ...ref.at, key: 'include', message });
    const looping = ref.files.find((f) => chain.includes(f));
    if (looping) {
      problem(`include loops: ${[...chain, looping].map((f) => path.basename(f)).join(' -> ')}`);
      continue;
    }
    const missing = [];
    for (const included of ref.files) {
      const facts = await stat(included).catch((error: NodeJS.ErrnoException) => error.code ?? 'unreadable');
      if (typeof facts === 'string' || !facts.isFile()) missing.push(`${included} (${typeof facts === 'string' ? facts : 'not a file'})`);
    }
    if (missing.length > 0) {
      problem(`cannot include ${missing.join(', ')}: fix the path (relative to ${path.basename(fileName)})`);
      continue;
    }
    const projectDir = ref.projectDirectory ?? path.dirname(ref.files[0] ?? fileName);
    const variables: Record<string, string> = {};
    for (const envFile of ref.envFiles.length > 0 ? ref.envFiles : [path.join(projectDir, '.env')]) {
      try {
        Object.assign(variables, parseDotenv(await readFile(envFile, 'utf8')));
      } catch (error) {
        if (ref.envFiles.length > 0) problem(`cannot read the env_file ${envFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    }
    // Our environment and .env win over the included project's .env, as in docker compose.
    const child: LoadContext = { ...context, lookup: (name) => context.lookup(name) ?? variables[name], cache: new Map() };
    const parts = await loadFiles(ref.files, child, chain);
    relocate(parts, ref, projectDir);
    for (const kind of RESOURCES) for (const [key, value] of parts[kind] as Map<string, unknown>) (result[kind] as Map<string, unknown>).set(key, value);
  }
  return result;
}

/** Relative paths of an included project point into its own folder (its project_directory when given). */
function relocate(parts: ProjectParts, ref: IncludeRef, projectDir: string): void {
  const resolve = (p: string) => (p === '~' || p.startsWith('~/') || path.isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p) ? p : path.resolve(projectDir, p));
  for (const service of parts.services.values()) {
    service.volumes = service.volumes.map((v) => (v.type === 'bind' ? { ...v, source: resolve(v.source) } : v));
    if (ref.projectDirectory) service.envFiles = service.envFiles.map((e) => ({ ...e, path: resolve(e.path) }));
    if (ref.projectDirectory && service.build && service.build.contextPath !== service.build.context) service.build.contextPath = resolve(service.build.context);
  }
  for (const volume of parts.volumes.values()) if (volume.bindDevice) volume.bindDevice = resolve(volume.bindDevice);
  if (!ref.projectDirectory) return;
  for (const definition of [...parts.secrets.values(), ...parts.configs.values()]) {
    if (definition.fileAsWritten !== undefined) definition.file = resolve(definition.fileAsWritten);
  }
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
function checkReferences(services: Map<string, ServiceModel>, volumes: Map<string, VolumeModel>, networks: Map<string, NetworkModel>, context: LoadContext): void {
  for (const service of services.values()) {
    for (const network of service.networks) {
      if (network.name !== 'default' && !networks.has(network.name)) {
        context.problems.push({
          ...network.at,
          key: `services.${service.name}.networks`,
          message: `network "${network.name}" is not defined under the top-level networks${networks.size > 0 ? ` (defined: ${[...networks.keys()].join(', ')})` : ''}`,
        });
      }
    }
    const joined = /^service:(.*)$/.exec(service.networkMode ?? '')?.[1];
    if (joined !== undefined && !services.has(joined)) {
      context.problems.push({ ...(service.keyAt.get('network_mode') ?? service.at), key: `services.${service.name}.network_mode`, message: `"${joined}" is not a service here, so its network cannot be joined` });
    }
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
