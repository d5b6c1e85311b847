import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CommandRunner, QedError, runOrThrow } from '@qed/core';
import { TESTENV_ROOT } from '../versions.js';
import { addProgram, copyInto, linkInto, recipeHash, writeImageArchive } from './image-archive.js';

/** Where the lane's built programs and image archives are cached (outside the repository). */
export interface LaneCache {
  /** ~/.cache/qed-testenv/bin: binaries named <name>-<version>-r<revision> or <name>-<hash>. */
  binDir: string;
  /** ~/.cache/qed-testenv/images: docker-archive files named <name>_<tag>-<recipe>.tar. */
  imagesDir: string;
  /** ~/.cache/qed-testenv/debs: Debian packages downloaded for the service images. */
  debsDir: string;
}

export interface LaneVersions {
  kubernetes: string;
  coredns: string;
  etcd: string;
  buildRevision: string;
}

/** A binary built by scripts/build-binaries.sh. */
export function cachedBinary(cache: LaneCache, name: string, version: string, revision: string): string {
  return path.join(cache.binDir, `${name}-${version}-r${revision}`);
}

/** pause and standin, our own programs, cached under a hash of their sources. */
export async function cachedProgram(cache: LaneCache, name: 'pause' | 'standin'): Promise<string> {
  const hash = (await readFile(path.join(cache.binDir, 'programs.hash'), 'utf8')).trim();
  return path.join(cache.binDir, `${name}-${hash}`);
}

export interface BuiltImage {
  /** The reference kubeadm or a test asks for, e.g. registry.k8s.io/kube-apiserver:v1.36.3. */
  ref: string;
  archive: string;
}

/**
 * The images kubeadm starts the control plane and add-ons from, built around the
 * binaries compiled from Go modules (nothing can be pulled here). The list is
 * kubeadm's own (`kubeadm config images list`), so it always matches what kubeadm
 * and minikube will ask the runtime for.
 */
export async function buildKubeadmImages(
  runner: CommandRunner,
  cache: LaneCache,
  versions: LaneVersions,
  progress: (message: string) => void,
): Promise<BuiltImage[]> {
  const bin = (name: string, version = versions.kubernetes) => cachedBinary(cache, name, version, versions.buildRevision);
  const listed = await runOrThrow(
    runner,
    { command: bin('kubeadm'), args: ['config', 'images', 'list', '--kubernetes-version', versions.kubernetes], timeoutMs: 60_000 },
    { code: 'TESTENV_IMAGE_BUILD', what: 'kubeadm could not list its images', hint: 'Run scripts/build-binaries.sh minikube-lane again.' },
  );
  const refs = listed.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const images: BuiltImage[] = [];
  for (const ref of refs) {
    const repository = ref.slice(0, ref.lastIndexOf(':'));
    const component = repository.slice(repository.lastIndexOf('/') + 1);
    const contents = await componentContents(cache, versions, component, bin);
    if (!contents) throw new QedError('TESTENV_IMAGE_BUILD', `kubeadm lists ${ref}, which the lane does not know how to build`, { hint: 'Teach lane-images.ts that component.' });
    images.push(await buildCachedImage(runner, cache, ref, contents, progress));
  }
  return images;
}

interface ImageContents {
  /** Host files copied in with their libraries: [host path, image path]. */
  programs: Array<[string, string]>;
  /** Whole host folders of plugins copied with their libraries (xtables). */
  pluginDirs?: string[];
  links?: Array<[string, string]>;
  entrypoint: string[];
  /** Extra inputs of the recipe hash (versions, files). */
  recipe: Array<string | { file: string }>;
}

async function componentContents(
  cache: LaneCache,
  versions: LaneVersions,
  component: string,
  bin: (name: string, version?: string) => string,
): Promise<ImageContents | null> {
  switch (component) {
    case 'kube-apiserver':
    case 'kube-controller-manager':
    case 'kube-scheduler':
      return { programs: [[bin(component), `/usr/local/bin/${component}`]], entrypoint: [`/usr/local/bin/${component}`], recipe: [bin(component)] };
    case 'kube-proxy': {
      // kube-proxy programs the node's iptables through the iptables binaries in its
      // own image: the host's nft-backed xtables, its match/target plugins and conntrack.
      const xtables = '/usr/sbin/xtables-nft-multi';
      const names = ['iptables', 'iptables-save', 'iptables-restore', 'ip6tables', 'ip6tables-save', 'ip6tables-restore'];
      return {
        programs: [[bin('kube-proxy'), '/usr/local/bin/kube-proxy'], [xtables, xtables], ['/usr/sbin/conntrack', '/usr/sbin/conntrack']],
        pluginDirs: ['/usr/lib/x86_64-linux-gnu/xtables'],
        links: names.map((n) => [`/usr/sbin/${n}`, 'xtables-nft-multi'] as [string, string]),
        entrypoint: ['/usr/local/bin/kube-proxy'],
        recipe: [bin('kube-proxy'), 'iptables-nft'],
      };
    }
    case 'etcd':
      return { programs: [[bin('etcd', versions.etcd), '/usr/local/bin/etcd']], entrypoint: ['/usr/local/bin/etcd'], recipe: [bin('etcd', versions.etcd)] };
    case 'pause': {
      const pause = await cachedProgram(cache, 'pause');
      return { programs: [[pause, '/pause']], entrypoint: ['/pause'], recipe: [pause] };
    }
    case 'coredns':
      return { programs: [[bin('coredns', versions.coredns), '/coredns']], entrypoint: ['/coredns'], recipe: [bin('coredns', versions.coredns)] };
    default:
      return null;
  }
}

async function buildCachedImage(
  runner: CommandRunner,
  cache: LaneCache,
  ref: string,
  contents: ImageContents,
  progress: (message: string) => void,
): Promise<BuiltImage> {
  const hash = await recipeHash([ref, ...contents.entrypoint, ...contents.recipe]);
  const archive = path.join(cache.imagesDir, `${ref.replace(/[/:]/g, '_')}-${hash}.tar`);
  if (existsSync(archive)) return { ref, archive };
  await pruneArchives(cache, `${ref.replace(/[/:]/g, '_')}-`);
  progress(`building image ${ref}`);
  const rootfs = `${archive}.rootfs`;
  await rm(rootfs, { recursive: true, force: true });
  await mkdir(rootfs, { recursive: true });
  try {
    for (const [host, inImage] of contents.programs) await addProgram(runner, rootfs, host, inImage);
    for (const dir of contents.pluginDirs ?? []) {
      for (const name of await readdir(dir)) await addProgram(runner, rootfs, path.join(dir, name));
    }
    for (const [link, target] of contents.links ?? []) await linkInto(rootfs, link, target);
    await mkdir(path.join(rootfs, 'tmp'), { recursive: true });
    await chmod(path.join(rootfs, 'tmp'), 0o1777);
    await mkdir(cache.imagesDir, { recursive: true });
    await writeImageArchive(runner, rootfs, [ref], { entrypoint: contents.entrypoint }, archive);
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
  return { ref, archive };
}

/** Archives an older recipe made for the same image: each is hundreds of megabytes. */
async function pruneArchives(cache: LaneCache, prefix: string): Promise<void> {
  for (const name of await readdir(cache.imagesDir).catch(() => [] as string[])) {
    if (name.startsWith(prefix) && name.endsWith('.tar')) await rm(path.join(cache.imagesDir, name), { force: true });
  }
}

/** The image the end-to-end tests build their QED stand-ins FROM: see programs/standin. */
export async function buildStandinImage(runner: CommandRunner, cache: LaneCache, progress: (message: string) => void): Promise<BuiltImage> {
  const standin = await cachedProgram(cache, 'standin');
  const tag = path.basename(standin).slice('standin-'.length);
  return buildCachedImage(runner, cache, `localhost/qed-testenv/standin:${tag}`, { programs: [[standin, '/standin']], entrypoint: ['/standin'], recipe: [standin] }, progress);
}

const SERVICES_DIR = path.join(TESTENV_ROOT, 'images', 'debian-services');

/**
 * The Debian packages whose files make the real Redis, PostgreSQL and nginx, and what runs them;
 * tar too, which copying files into a running container (`kubectl cp`, dev's sync) runs.
 */
const SERVICE_ROOTS = ['redis-server', 'redis-tools', 'postgresql-15', 'postgresql-client-15', 'nginx-light', 'dash', 'coreutils', 'util-linux', 'tzdata', 'tar'];
/**
 * Dependencies that only Debian's maintainer scripts and wrappers use (perl,
 * debconf, adduser, locales …) or that only optional features load (PostgreSQL's
 * LLVM JIT): left out, so the image holds the programs and their libraries.
 */
const SERVICE_LEFT_OUT = /^(perl.*|libperl.*|lib.*-perl|debconf.*|cdebconf|adduser|ucf|ssl-cert|locales.*|libllvm.*|libz3-.*|install-info|init-system-helpers|usrmerge|usr-is-merged|postgresql-common|postgresql-client-common|lsb-base|sensible-utils|sysvinit-utils|dpkg|passwd|libpam-modules.*|libsemanage.*|libelogind0|libdebian-installer4|libnewt.*|libslang.*|libtextwrap1|iproute2|util-linux-extra|netbase|openssl|libc-l10n)$/;

/**
 * One image with Debian's real Redis, PostgreSQL 15 and nginx, unpacked from the
 * packages (`apt-get download` + `dpkg -x`: no maintainer script runs, nothing is
 * installed on this machine), with small entry points (images/debian-services/)
 * that start each as its official image does. The tests build the QED redis,
 * postgres and nginx images FROM it with the entry point of each.
 */
export async function buildDebianServicesImage(runner: CommandRunner, cache: LaneCache, progress: (message: string) => void): Promise<BuiltImage> {
  const packages = await dependencyClosure(runner, SERVICE_ROOTS);
  const debs = await downloadPackages(runner, cache, packages, progress);
  const scripts = ['qed-postgres', 'qed-redis', 'qed-nginx', 'nginx.conf'].map((f) => ({ file: path.join(SERVICES_DIR, f) }));
  const hash = await recipeHash(['debian-services-2', ...debs.map((d) => path.basename(d)), ...scripts]);
  const ref = `localhost/qed-testenv/debian-services:${hash}`;
  const archive = path.join(cache.imagesDir, `${ref.replace(/[/:]/g, '_')}.tar`);
  if (existsSync(archive)) return { ref, archive };
  await pruneArchives(cache, 'localhost_qed-testenv_debian-services_');
  progress(`building image ${ref} from ${debs.length} Debian packages`);
  const rootfs = `${archive}.rootfs`;
  await rm(rootfs, { recursive: true, force: true });
  await mkdir(rootfs, { recursive: true });
  try {
    for (const deb of debs) {
      await runOrThrow(runner, { command: 'dpkg-deb', args: ['-x', deb, rootfs], timeoutMs: 120_000 }, {
        code: 'TESTENV_IMAGE_BUILD',
        what: `Could not unpack ${deb}`,
        hint: `Delete ${cache.debsDir} and run again.`,
      });
    }
    await linkInto(rootfs, '/bin/sh', 'dash');
    // As Debian's base-files has it; PostgreSQL puts its socket lock in /var/run/postgresql.
    await linkInto(rootfs, '/var/run', '/run');
    await writeFile(
      path.join(rootfs, 'etc/passwd'),
      'root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\npostgres:x:999:999:PostgreSQL:/var/lib/postgresql:/bin/sh\nredis:x:998:998:Redis:/var/lib/redis:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
    );
    await writeFile(path.join(rootfs, 'etc/group'), 'root:x:0:\nwww-data:x:33:\npostgres:x:999:\nredis:x:998:\nnogroup:x:65534:\n');
    for (const script of ['qed-postgres', 'qed-redis', 'qed-nginx']) {
      await copyInto(rootfs, path.join(SERVICES_DIR, script), `/usr/local/bin/${script}`);
    }
    await rm(path.join(rootfs, 'etc/nginx/nginx.conf'), { force: true });
    await copyInto(rootfs, path.join(SERVICES_DIR, 'nginx.conf'), '/etc/nginx/nginx.conf');
    for (const dir of ['tmp', 'run', 'data', 'var/lib/postgresql', 'docker-entrypoint-initdb.d']) await mkdir(path.join(rootfs, dir), { recursive: true });
    await chmod(path.join(rootfs, 'tmp'), 0o1777);
    // Each program must start in the image as unpacked: a missing library fails the build here, not in a pod.
    for (const check of [['/usr/lib/postgresql/15/bin/postgres', '--version'], ['/usr/bin/redis-server', '--version'], ['/usr/sbin/nginx', '-v'], ['/usr/bin/setpriv', '--version'], ['/bin/tar', '--version']]) {
      await runOrThrow(runner, { command: 'chroot', args: [rootfs, ...check], timeoutMs: 30_000 }, {
        code: 'TESTENV_IMAGE_BUILD',
        what: `${check[0]} does not start in the unpacked Debian services image`,
        hint: 'A dependency was left out: check SERVICE_LEFT_OUT in tools/testenv/src/minikube-lane/lane-images.ts.',
      });
    }
    await mkdir(cache.imagesDir, { recursive: true });
    await writeImageArchive(runner, rootfs, [ref], { cmd: ['/bin/sh'] }, archive);
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
  return { ref, archive };
}

/** The packages the roots depend on, recursively (no recommends), less the ones left out. */
async function dependencyClosure(runner: CommandRunner, roots: readonly string[]): Promise<string[]> {
  const result = await runOrThrow(
    runner,
    {
      command: 'apt-cache',
      args: ['depends', '--recurse', '--no-recommends', '--no-suggests', '--no-conflicts', '--no-breaks', '--no-replaces', '--no-enhances', ...roots],
      timeoutMs: 60_000,
    },
    { code: 'TESTENV_IMAGE_BUILD', what: 'apt-cache could not resolve the service packages', hint: 'Run `apt-get update` and try again.' },
  );
  const names = new Set<string>();
  for (const line of result.stdout.split('\n')) {
    if (!line || line.startsWith(' ') || line.startsWith('<')) continue;
    const name = line.trim();
    if (!SERVICE_LEFT_OUT.test(name)) names.add(name);
  }
  return [...names].sort();
}

/** apt-get download into the cache (a package already there is kept); returns the .deb paths. */
async function downloadPackages(runner: CommandRunner, cache: LaneCache, packages: readonly string[], progress: (message: string) => void): Promise<string[]> {
  await mkdir(cache.debsDir, { recursive: true });
  const wanted = await candidateFiles(runner, packages);
  const missing = wanted.filter((w) => !existsSync(path.join(cache.debsDir, w.file)));
  if (missing.length > 0) {
    progress(`downloading ${missing.length} Debian packages for the service images`);
    const download = () =>
      runner.run({ command: 'apt-get', args: ['download', ...missing.map((m) => `${m.name}=${m.version}`)], cwd: cache.debsDir, timeoutMs: 10 * 60_000 });
    let result = await download();
    if (result.exitCode !== 0) {
      // Package lists older than the mirror name files it no longer has.
      await runner.run({ command: 'apt-get', args: ['update', '-qq'], timeoutMs: 5 * 60_000 });
      result = await download();
    }
    if (result.exitCode !== 0) {
      throw new QedError('TESTENV_IMAGE_BUILD', `apt-get download failed: ${result.stderr.trim().split('\n').slice(-3).join(' ')}`, {
        hint: 'Check that the Debian mirror answers (`apt-get update`).',
      });
    }
  }
  return wanted.map((w) => path.join(cache.debsDir, w.file));
}

/** The file name apt-get download writes for each package's candidate version (epochs become %3a). */
async function candidateFiles(runner: CommandRunner, packages: readonly string[]): Promise<Array<{ name: string; version: string; file: string }>> {
  const result = await runOrThrow(
    runner,
    { command: 'apt-cache', args: ['show', '--no-all-versions', ...packages], timeoutMs: 60_000 },
    { code: 'TESTENV_IMAGE_BUILD', what: 'apt-cache show failed', hint: 'Run `apt-get update` and try again.' },
  );
  const out: Array<{ name: string; version: string; file: string }> = [];
  for (const stanza of result.stdout.split('\n\n')) {
    const field = (key: string) => new RegExp(`^${key}: (.+)$`, 'm').exec(stanza)?.[1]?.trim();
    const name = field('Package');
    const version = field('Version');
    const arch = field('Architecture');
    if (!name || !version || !arch) continue;
    out.push({ name, version, file: `${name}_${version.replace(':', '%3a')}_${arch}.deb` });
  }
  return out;
}
