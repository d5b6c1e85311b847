import type { Dirent } from 'node:fs';
import * as fs from 'node:fs/promises';
import path from 'node:path';
import { formatKubeYaml } from '../yaml/kube-yaml.js';
import { DEFAULT_CLUSTER, DEFAULT_IMAGES, type ImageConfig, QED_SERVICES } from './qed-config.js';
import { DEFAULT_REGISTRY_HOST } from './registry-endpoint.js';

/** Where an image's Dockerfile was found: its build context (absolute) and the Dockerfile's name in it. */
export interface FoundContext {
  context: string;
  dockerfile: string;
}

/** The file operations the search needs; tests pass their own. */
export interface ContextSearchFs {
  readdir(dir: string): Promise<Array<Pick<Dirent, 'name' | 'isDirectory'>>>;
  isFile(file: string): Promise<boolean>;
}

export const nodeContextSearchFs: ContextSearchFs = {
  readdir: (dir) => fs.readdir(dir, { withFileTypes: true }),
  isFile: (file) => fs.stat(file).then((s) => s.isFile(), () => false),
};

/**
 * Where the QED checkout (github.com/quanted/qed and its submodules) keeps the
 * Dockerfiles of the images that are not in a folder named like them: Django, Dask
 * and Tomcat build from the checkout's root, the .NET HMS service from windows/hms.
 */
const CHECKOUT_DOCKERFILES: Readonly<Record<string, ReadonlyArray<{ folder: string; dockerfile: string }>>> = {
  'qed-django': [{ folder: 'qed', dockerfile: 'Dockerfile' }],
  'qed-dask': [{ folder: 'qed', dockerfile: 'Dask_Dockerfile' }],
  'qed-tomcat': [{ folder: 'qed', dockerfile: 'Dockerfile_Tomcat' }],
  'hms-dotnetcore': [{ folder: 'hms', dockerfile: 'Dockerfile' }],
};

/** How deep below each folder searched the search looks: the checkout's submodules, and windows/hms in it. */
const SEARCH_DEPTH = 2;
/** A bound on the folders read, for a search that starts in a crowded home folder. */
const MAX_FOLDERS = 4000;

/**
 * Finds the build contexts of the QED images: folders holding a Dockerfile, named
 * like an image (its name or its source repository: qed_nginx, flask_qed, cts_nodejs,
 * compared without case, `-` and `_` alike) or where the QED checkout keeps it. Looks
 * in each root and up to two levels below it, nearest first, roots in the order
 * given; the first match of an image wins. Only images published by QED (quanted/…)
 * are looked for: third-party ones (postgis) are never built here. Hidden folders
 * and node_modules are skipped.
 */
export async function findImageContexts(
  roots: readonly string[],
  images: readonly ImageConfig[] = DEFAULT_IMAGES,
  io: ContextSearchFs = nodeContextSearchFs,
): Promise<Map<string, FoundContext>> {
  const wanted = new Map<string, Array<{ image: string; dockerfile: string }>>();
  for (const image of images.filter((i) => i.source.startsWith('quanted/'))) {
    const repository = image.source.split('/')[1]?.split(':')[0] ?? image.name;
    const places = [
      ...[image.name, repository].map((folder) => ({ folder, dockerfile: 'Dockerfile' })),
      ...(CHECKOUT_DOCKERFILES[image.name] ?? []),
    ];
    for (const { folder, dockerfile } of places) {
      const list = wanted.get(folderKey(folder)) ?? [];
      if (!list.some((w) => w.image === image.name && w.dockerfile === dockerfile)) list.push({ image: image.name, dockerfile });
      wanted.set(folderKey(folder), list);
    }
  }
  const found = new Map<string, FoundContext>();
  const seen = new Set<string>();
  for (const root of roots) {
    let level = [path.resolve(root)];
    for (let depth = 0; depth <= SEARCH_DEPTH && level.length > 0 && seen.size < MAX_FOLDERS; depth++) {
      const next: string[] = [];
      for (const dir of level) {
        if (seen.has(dir) || seen.size >= MAX_FOLDERS) continue;
        seen.add(dir);
        for (const { image, dockerfile } of wanted.get(folderKey(path.basename(dir))) ?? []) {
          if (!found.has(image) && (await io.isFile(path.join(dir, dockerfile)))) found.set(image, { context: dir, dockerfile });
        }
        if (depth < SEARCH_DEPTH) next.push(...(await subfolders(dir, io)));
      }
      level = next;
    }
  }
  return found;
}

function folderKey(name: string): string {
  return name.toLowerCase().replaceAll('-', '_');
}

async function subfolders(dir: string, io: ContextSearchFs): Promise<string[]> {
  const entries = await io.readdir(dir).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
    .map((e) => e.name)
    .sort()
    .map((name) => path.join(dir, name));
}

/** What `init` writes: the file's text, and the images in it with their contexts as written. */
export interface InitConfig {
  /** The config the file holds (what a YAML reader gets back). */
  config: { images: ImageConfig[] };
  text: string;
}

/**
 * The commented qed.config.yaml for a QED checkout: `images` with the contexts found
 * (relative to the file's folder, with `/`, as a config's paths are), and every other
 * key at its default, commented out, to show what can be set. The YAML is written by
 * formatKubeYaml, so it reads back the same for a YAML 1.1 reader too.
 */
export function formatInitConfig(configDir: string, found: ReadonlyMap<string, FoundContext>, images: readonly ImageConfig[] = DEFAULT_IMAGES): InitConfig {
  const withContexts = images.map((image): ImageConfig => {
    const at = found.get(image.name);
    if (!at) return { ...image };
    const context = path.relative(configDir, at.context).split(path.sep).join('/') || '.';
    return { ...image, context, ...(at.dockerfile !== 'Dockerfile' ? { dockerfile: at.dockerfile } : {}) };
  });
  const built = withContexts.filter((i) => i.context !== undefined);
  const remote = withContexts.filter((i) => i.context === undefined).map((i) => i.name);
  const defaults = formatKubeYaml({
    cluster: { profile: DEFAULT_CLUSTER.profile, driver: DEFAULT_CLUSTER.driver, cpus: DEFAULT_CLUSTER.cpus, memoryMb: DEFAULT_CLUSTER.memoryMb },
    registry: { host: DEFAULT_REGISTRY_HOST },
    namespace: 'qed',
    dataRoot: '~/.qed/data',
    services: [...QED_SERVICES],
  });
  const config = { images: withContexts };
  const text = [
    '# qed-bootstrap project config, written by `qed-bootstrap init`.',
    '# Every key is optional: what is left out takes its default. `qed-bootstrap config show`',
    '# prints the config in effect, `qed-bootstrap config validate` checks this file, and',
    '# docs/config.md lists every key. Relative paths are relative to this file.',
    '#',
    '# The defaults of the other keys, to uncomment and change:',
    ...commented(defaults),
    '',
    '# The images `qed-bootstrap images push` builds and pushes to the local registry. An image',
    '# with a context is built from it; one without uses its remote image as it is.',
    built.length
      ? `# Contexts found for ${built.length} of the ${images.length} images (searched by \`qed-bootstrap init\`).`
      : '# No QED repository with a Dockerfile was found: add a context to each image you build.',
    ...(remote.length ? [`# Remote: ${remote.join(', ')}.`] : []),
    formatKubeYaml(config).trimEnd(),
    '',
  ].join('\n');
  return { config, text };
}

function commented(yaml: string): string[] {
  return yaml
    .trimEnd()
    .split('\n')
    .map((line) => `#   ${line}`);
}
