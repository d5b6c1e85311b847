import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProfileList, parseStatus } from './cluster-facts.js';
import { planCluster } from './cluster-plan.js';
import { parseMinikubeVersion } from './minikube-version.js';
import { startFailure } from './start-failure.js';

/**
 * Outputs recorded from the real minikube v1.38.1 (driver none, containerd) by
 * tools/testenv/scripts/record-minikube-outputs.mjs on the minikube lane; each file
 * names its command, exit code and date.
 */
interface Recording {
  command: string;
  minikubeVersion: string;
  exitCode: number;
  stdout: string;
  stderr: string;
}
const dir = new URL('./__fixtures__/minikube-v1.38.1/', import.meta.url);
const recorded = (name: string): Recording => JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as Recording;

describe('outputs recorded from the real minikube v1.38.1', () => {
  it('are all there, each saying what produced it', () => {
    const names = readdirSync(dir).map((f) => f.replace(/\.json$/, '')).sort();
    expect(names).toEqual(
      ['ip-running', 'pause', 'profile-list-none', 'profile-list-running', 'profile-list-stopped', 'start-version-unknown', 'status-absent', 'status-paused', 'status-running', 'status-stopped', 'stop', 'unpause', 'version'].sort(),
    );
    for (const name of names) expect(recorded(name)).toMatchObject({ command: expect.stringMatching(/^minikube /), minikubeVersion: 'v1.38.1' });
  });

  it.each([
    ['status-running', 0, 'running'],
    ['status-paused', 2, 'paused'],
    ['status-stopped', 7, 'stopped'],
    ['status-absent', 85, 'absent'],
  ] as const)('%s (exit %i) reads as %s', (name, exitCode, state) => {
    const r = recorded(name);
    expect(r.exitCode).toBe(exitCode);
    expect(parseStatus(r.stdout, r.exitCode).state).toBe(state);
  });

  it('profile list: the none-driver profile with the settings it was made with; no profile at all is an empty listing', () => {
    const listing = parseProfileList(recorded('profile-list-running').stdout);
    expect(listing.valid.get('minikube')).toMatchObject({
      driver: 'none',
      kubernetesVersion: 'v1.35.1',
      containerRuntime: 'containerd',
      mount: false,
    });
    expect(listing.valid.get('minikube')?.insecureRegistries).toHaveLength(1);
    expect(parseProfileList(recorded('profile-list-stopped').stdout).valid.get('minikube')?.driver).toBe('none');
    const none = recorded('profile-list-none');
    expect([none.exitCode, parseProfileList(none.stdout).valid.size]).toEqual([0, 0]);
  });

  it('version', () => {
    expect(parseMinikubeVersion(recorded('version').stdout)).toBe('1.38.1');
  });

  it('a paused profile is unpaused, not restarted or recreated', () => {
    const listing = parseProfileList(recorded('profile-list-running').stdout);
    const status = recorded('status-paused');
    const { state, nodes } = parseStatus(status.stdout, status.exitCode);
    const settings = listing.valid.get('minikube') ?? null;
    const plan = planCluster(
      { os: 'linux', arch: 'x64', minikubeVersion: 'v1.38.1', doctor: [], hypervSwitches: null, cluster: { state, statusExitCode: status.exitCode, nodes, settings } },
      {
        profile: 'minikube',
        driver: 'none',
        cpus: 4,
        memoryMb: 8192,
        diskSizeMb: 40_960,
        kubernetesVersion: 'v1.35.1',
        containerRuntime: 'containerd',
        registryHost: settings?.insecureRegistries[0] ?? '',
        dataRoot: '/home/me/.qed/data',
      },
    );
    expect(plan.steps.map((s) => s.args.join(' '))).toEqual(['unpause -p minikube']);
  });

  it('a Kubernetes version minikube cannot confirm offline is explained, with the fix', () => {
    const r = recorded('start-version-unknown');
    expect(r.exitCode).toBe(48);
    const error = startFailure({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr } as never);
    expect(error.code).toBe('KUBERNETES_VERSION_UNCONFIRMED');
    expect(error.hint).toContain('minikube config defaults kubernetes-version');
  });
});
