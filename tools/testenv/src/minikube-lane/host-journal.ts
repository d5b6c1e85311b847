import { chmod, copyFile, lstat, mkdir, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CommandRunner, runOrThrow } from '@qed/core';
import { linkNames, mountTargets } from '../host-facts.js';
import { FIREWALL_TOOLS, type FirewallSnapshot, firewallUndoScript, KUBERNETES_FIREWALL, readFirewall, snapshotFirewall, undoFirewall } from '../host-firewall.js';

/**
 * The minikube lane turns this machine into a Kubernetes node (driver none): minikube,
 * kubeadm, the kubelet, containerd and kube-proxy change files under /etc and /var,
 * sysctls, iptables, network links and namespaces. Before anything changes, the
 * journal records how each of those was; `undo` puts it back. It lives outside the
 * repository (the changes are the machine's, not a checkout's), so any checkout's
 * `minikube-down` can undo what another's `minikube-up` did.
 */
export interface HostJournal {
  version: 1;
  takenAt: string;
  paths: PathRecord[];
  sysctls: Record<string, string>;
  /** Per tool (iptables, ip6tables) and table: the chains and rules that existed. */
  firewall: FirewallSnapshot;
  links: string[];
  netns: string[];
  /** Mount targets, as /proc/mounts listed them. */
  mounts: string[];
}

/**
 * How a path is put back:
 * - restore: exactly as it was (a copy is kept in the journal): small config files and folders;
 * - remove-if-new: removed when it did not exist, else left (large state such as /var/lib/containerd);
 * - remove-new-entries: entries that appeared inside it and are the pod network's (`entries`
 *   pattern) are removed; the others are left (folders shared with podman);
 * - remove-cgroup-if-new: a cgroup tree the kubelet made, removed deepest first (cgroupfs
 *   folders go with rmdir, not rm).
 */
export type PathPolicy = 'restore' | 'remove-if-new' | 'remove-new-entries' | 'remove-cgroup-if-new';

export interface PathRecord {
  path: string;
  policy: PathPolicy;
  existed: boolean;
  /** remove-new-entries: the names that were there. */
  entries?: string[];
  /** remove-new-entries: which new entries are the lane's (a regular expression). */
  ours?: string;
  /** restore: where the copy is, relative to the journal folder. */
  copy?: string;
}

/** What the lane changes on the host, and how each is put back (see docs/testing.md). */
export const LANE_HOST_PATHS: ReadonlyArray<{ path: string; policy: PathPolicy; ours?: string }> = [
  { path: '/etc/containerd', policy: 'restore' },
  { path: '/etc/cni/net.d', policy: 'restore' },
  { path: '/etc/cni/net.mk', policy: 'restore' },
  { path: '/opt/cni', policy: 'restore' },
  { path: '/etc/init.d/containerd', policy: 'restore' },
  { path: '/etc/init.d/kubelet', policy: 'restore' },
  { path: '/etc/kubernetes', policy: 'restore' },
  { path: '/etc/crictl.yaml', policy: 'restore' },
  { path: '/usr/local/bin/crictl', policy: 'restore' },
  { path: '/etc/hosts', policy: 'restore' },
  { path: '/etc/systemd/system/kubelet.service.d', policy: 'restore' },
  { path: '/lib/systemd/system/kubelet.service', policy: 'restore' },
  { path: '/usr/lib/systemd/system/kubelet.service', policy: 'restore' },
  { path: '/etc/sysctl.d', policy: 'restore' },
  { path: '/var/lib/kubelet', policy: 'remove-if-new' },
  { path: '/var/lib/minikube', policy: 'remove-if-new' },
  { path: '/var/lib/containerd', policy: 'remove-if-new' },
  { path: '/opt/containerd', policy: 'remove-if-new' },
  { path: '/var/lib/etcd', policy: 'remove-if-new' },
  { path: '/var/tmp/minikube', policy: 'remove-if-new' },
  { path: '/run/containerd', policy: 'remove-if-new' },
  { path: '/run/kubelet.pid', policy: 'remove-if-new' },
  { path: '/run/qed-testenv-containerd.pid', policy: 'remove-if-new' },
  { path: '/tmp/hostpath-provisioner', policy: 'remove-if-new' },
  { path: '/tmp/hostpath_pv', policy: 'remove-if-new' },
  { path: '/data', policy: 'remove-if-new' },
  // The pod network's IP allocations (minikube's bridge network is named "bridge"); podman's sit beside them.
  { path: '/var/lib/cni/networks', policy: 'remove-new-entries', ours: '^bridge$' },
  { path: '/var/lib/cni/results', policy: 'remove-new-entries', ours: '^bridge-' },
  // minikube adds its CA to the host's trust store on every driver; `minikube delete` leaves it.
  { path: '/usr/share/ca-certificates/minikubeCA.pem', policy: 'remove-if-new' },
  { path: '/etc/ssl/certs/minikubeCA.pem', policy: 'remove-if-new' },
  { path: '/etc/ssl/certs/b5213941.0', policy: 'remove-if-new' },
  { path: '/var/log/pods', policy: 'remove-if-new' },
  { path: '/var/log/containers', policy: 'remove-if-new' },
];

/** Kernel settings the kubelet and kube-proxy set on the node. */
export const LANE_SYSCTLS = [
  'net/ipv4/ip_forward',
  'net/bridge/bridge-nf-call-iptables',
  'net/bridge/bridge-nf-call-ip6tables',
  'net/netfilter/nf_conntrack_max',
  'net/netfilter/nf_conntrack_tcp_timeout_established',
  'net/netfilter/nf_conntrack_tcp_timeout_close_wait',
  'net/ipv4/conf/all/route_localnet',
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
];


export async function takeJournal(runner: CommandRunner, journalDir: string): Promise<HostJournal> {
  await rm(journalDir, { recursive: true, force: true });
  await mkdir(path.join(journalDir, 'copies'), { recursive: true });
  const paths: PathRecord[] = [];
  // The kubelet's pod cgroups (cgroupfs driver, cgroup v1: one tree per controller).
  const cgroups = (await readdir('/sys/fs/cgroup').catch(() => [] as string[])).map(
    (c): { path: string; policy: PathPolicy; ours?: string } => ({ path: `/sys/fs/cgroup/${c}/kubepods`, policy: 'remove-cgroup-if-new' }),
  );
  for (const [index, { path: p, policy, ours }] of [...LANE_HOST_PATHS, ...cgroups].entries()) {
    const existed = (await lstat(p).catch(() => null)) !== null;
    const record: PathRecord = { path: p, policy, existed, ...(ours ? { ours } : {}) };
    if (existed && policy === 'restore') {
      record.copy = path.join('copies', String(index));
      await run(runner, 'cp', ['-a', p, path.join(journalDir, record.copy)]);
    }
    if (existed && policy === 'remove-new-entries') record.entries = await readdir(p);
    paths.push(record);
  }
  const sysctls: Record<string, string> = {};
  for (const key of LANE_SYSCTLS) {
    const value = await readFile(`/proc/sys/${key}`, 'utf8').catch(() => null);
    if (value !== null) sysctls[key] = value.trim();
  }
  const firewall = await snapshotFirewall(runner);
  const journal: HostJournal = {
    version: 1,
    takenAt: new Date().toISOString(),
    paths,
    sysctls,
    firewall,
    links: await linkNames(runner),
    netns: await readdir('/run/netns').catch(() => []),
    mounts: await mountTargets(),
  };
  await writeFile(path.join(journalDir, 'journal.json'), `${JSON.stringify(journal, null, 2)}\n`);
  return journal;
}

export async function readJournal(journalDir: string): Promise<HostJournal | null> {
  const text = await readFile(path.join(journalDir, 'journal.json'), 'utf8').catch(() => null);
  return text ? (JSON.parse(text) as HostJournal) : null;
}

/**
 * Puts the host back as the journal found it. Runs after the cluster and every
 * process of the lane are stopped; each step goes on when another fails, and the
 * problems are returned (an undo that stops half-way leaves more behind).
 */
export async function undoJournal(runner: CommandRunner, journalDir: string, journal: HostJournal): Promise<string[]> {
  const problems: string[] = [];
  const attempt = async (what: string, body: () => Promise<void>) => {
    try {
      await body();
    } catch (error) {
      problems.push(`${what}: ${(error as Error).message}`);
    }
  };
  // Mounts first: kubelet volumes, containerd's rootfs and sandbox namespaces under the paths below.
  await attempt('unmount', () => unmountNew(runner, journal.mounts ?? []));
  for (const name of (await readdir('/run/netns').catch(() => [] as string[])).filter((n) => n.startsWith('cni-') && !journal.netns.includes(n))) {
    await attempt(`netns ${name}`, () => rm(path.join('/run/netns', name), { force: true }));
  }
  for (const record of [...journal.paths].reverse()) {
    await attempt(record.path, () => undoPath(runner, journalDir, record));
  }
  // podman's networking (the kwok lane's engine) needs forwarding too: left on while its bridge exists.
  const podmanNeedsForwarding = (await linkNames(runner)).includes('cni-podman0');
  for (const [key, value] of Object.entries(journal.sysctls)) {
    if (key === 'net/ipv4/ip_forward' && podmanNeedsForwarding) continue;
    await attempt(`sysctl ${key}`, async () => {
      const now = (await readFile(`/proc/sys/${key}`, 'utf8').catch(() => value)).trim();
      if (now !== value) await writeFile(`/proc/sys/${key}`, value);
    });
  }
  for (const tool of FIREWALL_TOOLS) {
    for (const [table, before] of Object.entries(journal.firewall[tool] ?? {})) {
      await attempt(`${tool} ${table}`, () => undoFirewall(runner, tool, table, before, KUBERNETES_FIREWALL));
    }
  }
  // The pod bridge minikube's CNI config creates ("bridge"), if it was not there before.
  for (const link of POD_NETWORK_LINKS) {
    if (!journal.links.includes(link) && (await linkNames(runner)).includes(link)) {
      await attempt(`link ${link}`, () => run(runner, 'ip', ['link', 'delete', link]));
    }
  }
  if (problems.length > 0) return problems;
  return verifyUndone(runner, journalDir, journal);
}

const POD_NETWORK_LINKS = ['bridge', 'cni0', 'kube-ipvs0'];

/**
 * Checks, after the undo, that the host is as the journal found it in everything
 * the lane touches: each path, each sysctl, no Kubernetes chain or pod-network rule
 * left, no pod bridge or pod network namespace. Every `down` runs it, so a change
 * the lane forgot to undo fails the run that made it.
 */
export async function verifyUndone(runner: CommandRunner, journalDir: string, journal: HostJournal): Promise<string[]> {
  const problems: string[] = [];
  for (const record of journal.paths) {
    const now = (await lstat(record.path).catch(() => null)) !== null;
    if (!record.existed && now && record.policy !== 'remove-new-entries') problems.push(`${record.path} was not there before and still is`);
    if (!record.existed && now && record.policy === 'remove-new-entries') {
      const left = (await readdir(record.path)).filter((name) => new RegExp(record.ours ?? '.').test(name));
      if (left.length > 0) problems.push(`${record.path} still has the pod network's entries: ${left.join(', ')}`);
    }
    if (record.existed && record.policy === 'restore' && record.copy) {
      if (!now) problems.push(`${record.path} was there before and is gone`);
      else if (!(await same(runner, path.join(journalDir, record.copy), record.path))) problems.push(`${record.path} differs from before`);
    }
    if (record.existed && record.policy === 'remove-new-entries' && now) {
      const added = (await readdir(record.path)).filter((name) => !record.entries?.includes(name) && new RegExp(record.ours ?? '.').test(name));
      if (added.length > 0) problems.push(`${record.path} still has new entries: ${added.join(', ')}`);
    }
  }
  const podmanNeedsForwarding = (await linkNames(runner)).includes('cni-podman0');
  for (const [key, value] of Object.entries(journal.sysctls)) {
    if (key === 'net/ipv4/ip_forward' && podmanNeedsForwarding) continue;
    const now = (await readFile(`/proc/sys/${key}`, 'utf8').catch(() => value)).trim();
    if (now !== value) problems.push(`sysctl ${key} is ${now}, was ${value}`);
  }
  for (const tool of FIREWALL_TOOLS) {
    for (const [table, before] of Object.entries(journal.firewall[tool] ?? {})) {
      const now = await readFirewall(runner, tool, table);
      if (now && firewallUndoScript(table, before, now, KUBERNETES_FIREWALL)) problems.push(`${tool} table ${table} still has Kubernetes chains or pod-network rules`);
    }
  }
  const links = await linkNames(runner);
  for (const link of POD_NETWORK_LINKS) if (!journal.links.includes(link) && links.includes(link)) problems.push(`network link ${link} is still there`);
  const netns = (await readdir('/run/netns').catch(() => [] as string[])).filter((n) => n.startsWith('cni-') && !journal.netns.includes(n));
  if (netns.length > 0) problems.push(`pod network namespaces are still there: ${netns.join(', ')}`);
  const mounts = (await mountTargets()).filter((t) => !(journal.mounts ?? []).includes(t) && isNodeMount(t));
  if (mounts.length > 0) problems.push(`the node's mounts are still there: ${mounts.join(', ')}`);
  return problems;
}

async function undoPath(runner: CommandRunner, journalDir: string, record: PathRecord): Promise<void> {
  const now = (await lstat(record.path).catch(() => null)) !== null;
  if (!now && record.policy !== 'restore') return;
  if (record.policy === 'remove-new-entries') {
    const ours = new RegExp(record.ours ?? '.');
    for (const name of await readdir(record.path)) {
      if (!record.entries?.includes(name) && ours.test(name)) await removeTree(runner, path.join(record.path, name));
    }
    if (!record.existed && (await readdir(record.path)).length === 0) await removeTree(runner, record.path);
    return;
  }
  if (record.policy === 'remove-if-new') {
    if (!record.existed) await removeTree(runner, record.path);
    return;
  }
  if (record.policy === 'remove-cgroup-if-new') {
    // Folders of a cgroup filesystem: rmdir, deepest first (their files cannot be unlinked).
    if (!record.existed) await run(runner, 'find', [record.path, '-depth', '-type', 'd', '-exec', 'rmdir', '{}', ';']);
    return;
  }
  // restore: exactly the copy (or nothing, when there was nothing).
  if (record.existed && record.copy) {
    const copy = path.join(journalDir, record.copy);
    if (now && (await same(runner, copy, record.path))) return;
    const stat = await lstat(copy);
    if (now && stat.isFile() && (await lstat(record.path)).isFile()) {
      // In place: a file may be a mount of its own (a container's /etc/hosts), which can be written but not replaced.
      await copyFile(copy, record.path);
      await chmod(record.path, stat.mode & 0o7777);
      return;
    }
    await removeTree(runner, record.path);
    await run(runner, 'cp', ['-a', copy, record.path]);
  } else if (now) {
    await removeTree(runner, record.path);
  }
}

/** rm -rf that never crosses into another file system mounted below (a disk someone mounted under /data). */
async function removeTree(runner: CommandRunner, target: string): Promise<void> {
  await run(runner, 'rm', ['-rf', '--one-file-system', target]);
}

async function same(runner: CommandRunner, a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([lstat(a), lstat(b)]);
  if (sa.isSymbolicLink() || sb.isSymbolicLink()) return sa.isSymbolicLink() && sb.isSymbolicLink() && (await readlink(a)) === (await readlink(b));
  const diff = await runner.run({ command: 'diff', args: ['-r', '--no-dereference', a, b], timeoutMs: 30_000 });
  return diff.exitCode === 0;
}

/**
 * Where the node's mounts go: kubelet volumes (the kubelet also binds /var/lib/kubelet
 * onto itself to share mount propagation), containerd's snapshots and tasks, pod
 * network namespaces.
 */
const NODE_MOUNT_DIRS = ['/var/lib/kubelet', '/var/lib/containerd', '/run/containerd'];
const isNodeMount = (target: string) =>
  target.startsWith('/run/netns/cni-') || NODE_MOUNT_DIRS.some((dir) => target === dir || target.startsWith(`${dir}/`));

/**
 * Unmounts what the node mounted since the journal, newest first. containerd may
 * also have bind-mounted /run/netns onto itself (to share the namespaces it puts
 * there); a namespace mounted before that bind is hidden under it until the bind
 * goes, so passes repeat while something new comes into view.
 */
export async function unmountNew(runner: CommandRunner, before: readonly string[]): Promise<void> {
  const old = new Set(before);
  for (let pass = 0; pass < 4; pass++) {
    const targets = (await mountTargets())
      .filter((t) => !old.has(t) && (t === '/run/netns' || isNodeMount(t)))
      .reverse();
    if (targets.length === 0) return;
    for (const target of targets) await runner.run({ command: 'umount', args: ['-l', target], timeoutMs: 10_000 }).catch(() => null);
  }
}

async function run(runner: CommandRunner, command: string, args: string[]): Promise<void> {
  await runOrThrow(runner, { command, args, timeoutMs: 120_000 }, { code: 'TESTENV_MINIKUBE_HOST', what: `${command} ${args.join(' ')} failed`, hint: 'See the output above; the journal is kept for a second minikube-down.' });
}
