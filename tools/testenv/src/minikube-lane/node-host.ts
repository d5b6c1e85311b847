import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CommandRunner, QedError, runOrThrow, writeFileAtomic } from '@qed/core';
import { isAlive, stopPid } from '../processes.js';

/**
 * This machine as a minikube none-driver node with containerd. What minikube
 * expects of a node image is set up here on the host, each change covered by the
 * host journal: containerd's config and an init script (there is no systemd:
 * minikube falls back to `sudo service …` when `systemctl --version` fails, which
 * the lane's PATH arranges), the CNI plugin folder minikube looks for, crictl where
 * sudo finds it, and the control-plane images imported into containerd, since no
 * registry can be reached to pull them.
 */
export const CONTAINERD_SOCKET = '/run/containerd/containerd.sock';
export const CONTAINERD_PIDFILE = '/run/qed-testenv-containerd.pid';
const CONTAINERD_INIT = '/etc/init.d/containerd';
const CONTAINERD_CONFIG = '/etc/containerd/config.toml';

/**
 * containerd's default configuration with two changes:
 * - restrict_oom_score_adj: processes here lack CAP_SYS_RESOURCE, so runc fails
 *   ("can't get final child's PID from pipe") unless containerd leaves the OOM score
 *   alone. Written without spaces on purpose: minikube's sed rewrites
 *   `restrict_oom_score_adj = …` back to false.
 * - registry config_path: where minikube writes a hosts.toml per --insecure-registry.
 */
export function containerdConfig(defaults: string): string {
  const out = defaults
    .replace(/^(\s*)restrict_oom_score_adj = false$/m, '$1restrict_oom_score_adj=true')
    .replace(/^(\s*)config_path = ""$/m, '$1config_path = "/etc/containerd/certs.d"');
  if (!/restrict_oom_score_adj=true/.test(out) || !/config_path = "\/etc\/containerd\/certs.d"/.test(out)) {
    throw new QedError('TESTENV_MINIKUBE_HOST', 'containerd config default no longer has restrict_oom_score_adj or registry config_path where expected', {
      hint: 'Check `containerd config default` of the installed containerd and update containerdConfig() in tools/testenv/src/minikube-lane/node-host.ts.',
    });
  }
  return `# Written by the qed-testenv minikube lane (tools/testenv); its minikube-down puts the original back.\n${out}`;
}

export function containerdInitScript(logFile: string): string {
  return `#!/bin/sh
# Written by the qed-testenv minikube lane (tools/testenv); its minikube-down removes it.
# minikube's none driver starts and restarts the runtime with \`sudo service containerd …\`
# where there is no systemd, and Debian's containerd package ships no init script.
PIDFILE=${CONTAINERD_PIDFILE}
LOG=${logFile}
running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
case "$1" in
  start)
    running && exit 0
    # setsid: containerd must outlive the sudo/service session that starts it.
    setsid /usr/bin/containerd >>"$LOG" 2>&1 </dev/null &
    echo $! > "$PIDFILE"
    i=0
    while [ $i -lt 150 ]; do
      ctr --address ${CONTAINERD_SOCKET} version >/dev/null 2>&1 && exit 0
      running || break
      i=$((i + 1))
      sleep 0.2
    done
    echo "containerd did not start; see $LOG" >&2
    exit 1
    ;;
  stop)
    if running; then
      pid=$(cat "$PIDFILE")
      kill "$pid"
      i=0
      while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$PIDFILE"
    ;;
  restart)
    "$0" stop && "$0" start
    ;;
  status)
    running || exit 3
    ;;
  *)
    echo "usage: $0 start|stop|restart|status" >&2
    exit 2
    ;;
esac
`;
}

/** A systemctl that fails: minikube then manages services through `service` (OpenRC shim). First on minikube's PATH only. */
export const SYSTEMCTL_SHIM = `#!/bin/sh
# qed-testenv minikube lane: PID 1 here is not systemd, so systemctl must not look usable to minikube.
echo "systemctl: this machine does not run systemd (qed-testenv minikube lane)" >&2
exit 1
`;

export interface NodeHostPaths {
  /** The lane's PATH folder: minikube, kubectl, the systemctl shim. */
  binDir: string;
  logsDir: string;
}

/** Sets the host up as a node (after the journal was taken) and starts containerd. */
export async function prepareNodeHost(
  runner: CommandRunner,
  paths: NodeHostPaths,
  binaries: { crictl: string },
  progress: (message: string) => void,
): Promise<void> {
  await mkdir(paths.logsDir, { recursive: true });
  // minikube insists on /opt/cni/bin; Debian's plugins are in /usr/lib/cni.
  if (!existsSync('/opt/cni/bin')) {
    await mkdir('/opt/cni', { recursive: true });
    await symlink('/usr/lib/cni', '/opt/cni/bin');
  }
  // sudo resets PATH to its secure_path, and minikube runs `sudo crictl …`.
  await copyFile(binaries.crictl, '/usr/local/bin/crictl');
  await chmod('/usr/local/bin/crictl', 0o755);
  await writeFile('/etc/crictl.yaml', `runtime-endpoint: unix://${CONTAINERD_SOCKET}\nimage-endpoint: unix://${CONTAINERD_SOCKET}\n`);
  const defaults = await runOrThrow(runner, { command: 'containerd', args: ['config', 'default'], timeoutMs: 30_000 }, {
    code: 'TESTENV_MINIKUBE_HOST',
    what: 'containerd config default failed',
    hint: 'Install containerd (apt-get install containerd).',
  });
  await mkdir(path.dirname(CONTAINERD_CONFIG), { recursive: true });
  await writeFileAtomic(CONTAINERD_CONFIG, containerdConfig(defaults.stdout), 0o644);
  await writeFileAtomic(CONTAINERD_INIT, containerdInitScript(path.join(paths.logsDir, 'containerd.log')), 0o755);
  await writeFileAtomic(path.join(paths.binDir, 'systemctl'), SYSTEMCTL_SHIM, 0o755);
  progress('starting containerd');
  await runOrThrow(runner, { command: CONTAINERD_INIT, args: ['start'], timeoutMs: 60_000 }, {
    code: 'TESTENV_MINIKUBE_HOST',
    what: 'containerd did not start',
    hint: `Read ${path.join(paths.logsDir, 'containerd.log')}.`,
  });
}

/** Imports image archives into containerd's Kubernetes namespace, where the kubelet looks. */
export async function importImages(runner: CommandRunner, archives: readonly string[]): Promise<void> {
  for (const archive of archives) {
    await runOrThrow(
      runner,
      { command: 'ctr', args: ['--address', CONTAINERD_SOCKET, '--namespace', 'k8s.io', 'images', 'import', archive], timeoutMs: 10 * 60_000 },
      { code: 'TESTENV_MINIKUBE_HOST', what: `ctr could not import ${archive}`, hint: 'Delete the archive from the cache and run minikube-up again.' },
    );
  }
}

/** The PID containerd runs under, from the init script's pid file; null when it does not run (or the PID is now another program's). */
export async function containerdPid(): Promise<number | null> {
  const pid = Number.parseInt(await readFile(CONTAINERD_PIDFILE, 'utf8').catch(() => ''), 10);
  return Number.isNaN(pid) || !isAlive(pid) || !(await runsProgram(pid, 'containerd')) ? null : pid;
}

/** True when the process runs the named program (by its binary's file name): a recorded PID may since have been reused. */
export async function runsProgram(pid: number, program: string): Promise<boolean> {
  const exe = await readlink(`/proc/${pid}/exe`).catch(() => '');
  return path.basename(exe.replace(/ \(deleted\)$/, '')) === program;
}

/**
 * Processes that would make this machine a node already, and so fight the lane: a
 * containerd, kubelet or dockerd not started by it (a developer's Docker install runs
 * its own containerd on the same socket).
 */
export async function foreignNodeProcesses(): Promise<string[]> {
  const ours = await containerdPid();
  const found: string[] = [];
  for (const { pid, exe } of await processes()) {
    const name = path.basename(exe);
    if (name === 'containerd' && pid !== ours) found.push(`containerd (PID ${pid})`);
    if (name === 'kubelet' || name === 'dockerd') found.push(`${name} (PID ${pid}, ${exe})`);
  }
  return found;
}

/**
 * Stops what the lane's node left running once minikube deleted the cluster: any
 * kubelet run from minikube's binaries folder and minikube's restart loop around it,
 * the containers still in containerd, containerd itself (by its pid file) and the
 * shims serving its socket. Nothing is matched by name alone: by the binary it runs
 * from minikube's folder, or by naming the containerd socket (no other containerd ran
 * when the lane started: minikubeLaneUnavailableReason refuses to start beside one).
 */
export async function stopNodeProcesses(runner: CommandRunner): Promise<string[]> {
  const stopped: string[] = [];
  for (const { pid, exe, cmdline } of await processes()) {
    const kubelet = exe.startsWith('/var/lib/minikube/binaries/');
    // minikube's restart loop around the kubelet: bash running minikube's wrapper script.
    const wrapper = path.basename(exe) === 'bash' && cmdline.split(' ')[1] === '/var/lib/minikube/openrc-restart-wrapper.sh';
    if ((kubelet || wrapper) && (await stopPid(pid, 5000)) !== 'not-running') stopped.push(`${kubelet ? 'kubelet' : 'kubelet restart loop'} (PID ${pid})`);
  }
  const daemon = await containerdPid();
  if (daemon !== null) {
    // Pods first, so the shims exit on their own rather than being killed under their containers.
    await runner.run({ command: '/usr/local/bin/crictl', args: ['rmp', '--all', '--force'], timeoutMs: 120_000 }).catch(() => null);
    if ((await stopPid(daemon, 10_000)) !== 'not-running') stopped.push(`containerd (PID ${daemon})`);
  }
  await rm(CONTAINERD_PIDFILE, { force: true });
  for (const { pid, exe, cmdline } of await processes()) {
    if (path.basename(exe).startsWith('containerd-shim') && cmdline.includes(CONTAINERD_SOCKET)) {
      if ((await stopPid(pid, 3000)) !== 'not-running') stopped.push(`containerd shim (PID ${pid})`);
    }
  }
  return stopped;
}

async function processes(): Promise<Array<{ pid: number; exe: string; cmdline: string }>> {
  const out: Array<{ pid: number; exe: string; cmdline: string }> = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const exe = await readlink(`/proc/${entry}/exe`).catch(() => '');
    if (!exe) continue;
    const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ');
    out.push({ pid: Number(entry), exe: exe.replace(/ \(deleted\)$/, ''), cmdline });
  }
  return out;
}
