import type { CommandRunner } from '@qed/core';

/** iptables and ip6tables, table by table, as iptables-save prints them. */
export const FIREWALL_TOOLS = ['iptables', 'ip6tables'] as const;
const TABLES = ['filter', 'nat', 'mangle', 'raw'] as const;

/** Per tool and table: the chains and rules there were. */
export type FirewallSnapshot = Record<string, Record<string, FirewallDump>>;

export async function snapshotFirewall(runner: CommandRunner): Promise<FirewallSnapshot> {
  const snapshot: FirewallSnapshot = {};
  for (const tool of FIREWALL_TOOLS) {
    snapshot[tool] = {};
    for (const table of TABLES) {
      const dump = await readFirewall(runner, tool, table);
      if (dump) snapshot[tool][table] = dump;
    }
  }
  return snapshot;
}

/** Undoes, in every table, what the owner added since the snapshot. */
export async function undoFirewallSince(runner: CommandRunner, snapshot: FirewallSnapshot, owner: FirewallOwner): Promise<void> {
  for (const tool of FIREWALL_TOOLS) {
    for (const [table, before] of Object.entries(snapshot[tool] ?? {})) await undoFirewall(runner, tool, table, before, owner);
  }
}

export interface FirewallDump {
  chains: string[];
  rules: string[];
}

export async function readFirewall(runner: CommandRunner, tool: string, table: string): Promise<FirewallDump | null> {
  const result = await runner.run({ command: `${tool}-save`, args: ['-t', table], timeoutMs: 30_000 }).catch(() => null);
  if (result?.exitCode !== 0) return null;
  const chains: string[] = [];
  const rules: string[] = [];
  for (const line of result.stdout.split('\n')) {
    if (line.startsWith(':')) chains.push(line.slice(1).split(' ')[0] ?? '');
    else if (line.startsWith('-A ')) rules.push(line);
  }
  return { chains, rules };
}

/** Whose rules and chains an undo removes: the others, added meanwhile, stay. */
export interface FirewallOwner {
  /** A chain the owner makes itself (only new ones are ever touched). */
  chain: (name: string) => boolean;
  /** A rule the owner adds to chains that are not its own. */
  rule: (rule: string) => boolean;
}

/** Kubernetes on the minikube lane: kube-proxy's and the kubelet's KUBE-* chains, minikube's pod network ("bridge"). */
export const KUBERNETES_FIREWALL: FirewallOwner = {
  chain: (name) => name.startsWith('KUBE-'),
  rule: (rule) => /--comment "name: \\"bridge\\"/.test(rule),
};

/**
 * podman's CNI plugins (the kwok lane's engine): its network's rules ("podman") and the
 * firewall and portmap plugins' own chains. A per-container CNI-<hash> chain goes only
 * with the podman rule that jumps to it: the pod network makes chains of that name too.
 */
export const PODMAN_FIREWALL: FirewallOwner = {
  chain: (name) => name.startsWith('CNI-HOSTPORT-') || name === 'CNI-FORWARD' || name === 'CNI-ADMIN',
  rule: (rule) => /--comment "name: \\"podman\\"/.test(rule),
};

/**
 * Removes what one owner added to one table since `before`, and nothing else:
 * rules that are new and belong to, or jump to, a new chain of the owner, or are
 * the owner's by their comment; then the new chains those leave empty and
 * unreferenced, if they are the owner's or a removed rule jumped to them.
 */
export function firewallUndoScript(table: string, before: FirewallDump, now: FirewallDump, owner: FirewallOwner): string | null {
  const newChains = new Set(now.chains.filter((c) => !before.chains.includes(c)));
  const oldRules = new Set(before.rules);
  const chainOf = (rule: string) => rule.split(' ')[1] ?? '';
  const targetOf = (rule: string) => /\s-[jg] (\S+)/.exec(rule)?.[1] ?? '';
  const ours = (chain: string) => newChains.has(chain) && owner.chain(chain);
  const removed = now.rules.filter((rule) => !oldRules.has(rule) && (ours(chainOf(rule)) || ours(targetOf(rule)) || owner.rule(rule)));
  const removedSet = new Set(removed);
  const remaining = now.rules.filter((r) => !removedSet.has(r));
  // Only the owner's chains, or those a removed rule jumped to: an empty chain someone
  // else made meanwhile is theirs.
  const jumpedTo = new Set(removed.map(targetOf));
  const deleteChains = [...newChains].filter(
    (chain) => (ours(chain) || (chain.startsWith('CNI-') && jumpedTo.has(chain))) && !remaining.some((r) => chainOf(r) === chain || targetOf(r) === chain),
  );
  if (removed.length === 0 && deleteChains.length === 0) return null;
  // Rules of chains about to be deleted go with the chain (-F); the others one by one.
  const lines = [`*${table}`];
  for (const rule of removed) if (!deleteChains.includes(chainOf(rule))) lines.push(`-D${rule.slice(2)}`);
  for (const chain of deleteChains) lines.push(`-F ${chain}`);
  for (const chain of deleteChains) lines.push(`-X ${chain}`);
  lines.push('COMMIT', '');
  return lines.join('\n');
}

export async function undoFirewall(runner: CommandRunner, tool: string, table: string, before: FirewallDump, owner: FirewallOwner): Promise<void> {
  const now = await readFirewall(runner, tool, table);
  if (!now) return;
  const script = firewallUndoScript(table, before, now, owner);
  if (!script) return;
  const result = await runner.run({ command: `${tool}-restore`, args: ['--noflush'], input: script, timeoutMs: 30_000 });
  if (result.exitCode !== 0) throw new Error(`${tool}-restore failed: ${result.stderr.trim()}\n${script}`);
}

