import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import dockerignore from '@balena/dockerignore';

/** What decides an image's content: the files docker would send, and how it would build them. */
export interface ContentTagInput {
  /** Absolute build context. */
  context: string;
  /** Absolute path of the Dockerfile. */
  dockerfile: string;
  args?: Readonly<Record<string, string>>;
  target?: string;
}

export interface ContentTag {
  /** The image tag: `c-` and the first 20 hex digits of the digest. */
  tag: string;
  /** The full sha256 of everything hashed, for logs and --json. */
  digest: string;
  /** How many context files went into it (after .dockerignore). */
  fileCount: number;
}

// Bumped whenever what goes into the hash changes, so old tags never match new meanings.
const FORMAT = 'qed-images-content-v1';

/**
 * Hashes what a build depends on, so an unchanged image gets the same tag on every
 * machine and run, and any change that docker would see gets a new one. File modes and
 * timestamps are left out on purpose: a fresh clone must reproduce the tag.
 */
export async function computeContentTag(input: ContentTagInput): Promise<ContentTag> {
  const files = await listContextFiles(input.context);
  const hash = createHash('sha256');
  hash.update(`${FORMAT}\n`);
  for (const file of files) {
    hash.update(`file\0${file.path}\0${file.kind}\0${file.digest}\n`);
  }
  // The Dockerfile always counts, even when .dockerignore names it or it lives outside the context.
  hash.update(`dockerfile\0${sha256(await readFile(input.dockerfile))}\n`);
  for (const [key, value] of Object.entries(input.args ?? {}).sort(([a], [b]) => compare(a, b))) {
    hash.update(`arg\0${key}\0${value}\n`);
  }
  hash.update(`target\0${input.target ?? ''}\n`);
  const digest = hash.digest('hex');
  return { tag: `c-${digest.slice(0, 20)}`, digest: `sha256:${digest}`, fileCount: files.length };
}

interface ContextFile {
  /** Relative to the context, '/'-separated. */
  path: string;
  kind: 'file' | 'symlink';
  digest: string;
}

/** The files of a context that docker would send, sorted by path. */
export async function listContextFiles(context: string): Promise<ContextFile[]> {
  const rules = await readDockerignore(context);
  // The package is CommonJS with `module.exports.default = factory`; under nodenext the
  // default import is module.exports, so the factory is reached through `.default`.
  const matcher = dockerignore.default().add(rules);
  // With an exception rule (!pattern) a file inside an ignored folder may come back,
  // so ignored folders are only pruned when there is none.
  const canPrune = !rules.some((rule) => rule.trim().startsWith('!'));
  const found: ContextFile[] = [];

  async function walk(relativeDir: string): Promise<void> {
    const entries = await readdir(path.join(context, relativeDir), { withFileTypes: true });
    for (const entry of entries) {
      const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      const absolute = path.join(context, relative);
      if (entry.isDirectory()) {
        if (canPrune && matcher.ignores(relative)) continue;
        await walk(relative);
        continue;
      }
      if (matcher.ignores(relative)) continue;
      if (entry.isSymbolicLink()) {
        found.push({ path: relative, kind: 'symlink', digest: sha256(await readlink(absolute)) });
      } else if (entry.isFile()) {
        found.push({ path: relative, kind: 'file', digest: sha256(await readFile(absolute)) });
      } else {
        // Sockets, fifos: docker cannot send them either; only their presence is noted.
        const stat = await lstat(absolute);
        found.push({ path: relative, kind: 'file', digest: `special-${stat.mode & 0o170000}` });
      }
    }
  }

  await walk('');
  return found.sort((a, b) => compare(a.path, b.path));
}

/**
 * Whether a path of the context (relative, '/'-separated) is one docker would send:
 * what `qed-bootstrap dev` watches. Read once; a changed .dockerignore is itself a
 * change that rebuilds (and the watcher is made again).
 */
export async function contextFileFilter(context: string): Promise<(relative: string) => boolean> {
  const matcher = dockerignore.default().add(await readDockerignore(context));
  return (relative) => relative === '.dockerignore' || !matcher.ignores(relative);
}

async function readDockerignore(context: string): Promise<string[]> {
  try {
    const text = await readFile(path.join(context, '.dockerignore'), 'utf8');
    return text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

// Code-unit order, not localeCompare: the tag must not depend on the machine's locale.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
