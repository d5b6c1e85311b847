import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firewallUndoScript, KUBERNETES_FIREWALL, PODMAN_FIREWALL } from '../host-firewall.js';
import { LANE_HOST_PATHS } from './host-journal.js';
import { laneStartArgs } from './minikube-lane.js';
import { containerdConfig, containerdInitScript } from './node-host.js';

const recordedDefaults = readFileSync(new URL('./__fixtures__/containerd-config-default-1.6.20.toml', import.meta.url), 'utf8');

describe('containerdConfig (from `containerd config default` recorded from Debian 12 containerd 1.6.20)', () => {
  const config = containerdConfig(recordedDefaults);

  it('leaves the OOM score alone, in the one spelling minikube\'s sed does not rewrite', () => {
    expect(config).toMatch(/^\s*restrict_oom_score_adj=true$/m);
    expect(config).not.toMatch(/restrict_oom_score_adj = /);
  });

  it('reads plain-HTTP registries from the hosts.toml files minikube writes', () => {
    expect(config).toMatch(/^\s*config_path = "\/etc\/containerd\/certs.d"$/m);
  });

  it('changes nothing else', () => {
    const changed = config.split('\n').slice(1).filter((line, i) => line !== recordedDefaults.split('\n')[i]);
    expect(changed.map((l) => l.trim())).toEqual(['restrict_oom_score_adj=true', 'config_path = "/etc/containerd/certs.d"']);
  });

  it('refuses a default config that no longer has the keys, rather than writing one that silently breaks runc', () => {
    expect(() => containerdConfig('version = 2\n')).toThrow(/restrict_oom_score_adj or registry config_path/);
  });
});

describe('containerdInitScript', () => {
  it('answers what minikube asks of a service: start, stop, restart, status (3 when stopped)', () => {
    const script = containerdInitScript('/state/logs/containerd.log');
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    for (const verb of ['start)', 'stop)', 'restart)', 'status)']) expect(script).toContain(verb);
    expect(script).toContain('running || exit 3');
    expect(script).toContain('LOG=/state/logs/containerd.log');
  });
});

describe('firewallUndoScript', () => {
  // Lines as iptables-save (nf_tables) prints them.
  const before = {
    chains: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', 'CNI-HOSTPORT-DNAT'],
    rules: ['-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT', '-A OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT'],
  };

  it('removes the chains Kubernetes added and the rules that jump to them, keeping the rules that were there', () => {
    const now = {
      chains: [...before.chains, 'KUBE-SERVICES', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'],
      rules: [
        ...before.rules,
        '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
        '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
        '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
      ],
    };
    expect(firewallUndoScript('nat', before, now, KUBERNETES_FIREWALL)).toBe(
      [
        '*nat',
        '-D PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        '-D POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
        '-F KUBE-SERVICES',
        '-F KUBE-POSTROUTING',
        '-F KUBE-MARK-MASQ',
        '-X KUBE-SERVICES',
        '-X KUBE-POSTROUTING',
        '-X KUBE-MARK-MASQ',
        'COMMIT',
        '',
      ].join('\n'),
    );
  });

  it('removes the masquerade chains of minikube\'s pod network ("bridge") but leaves podman\'s, added meanwhile', () => {
    const now = {
      chains: [...before.chains, 'CNI-0a1b', 'CNI-9f8e'],
      rules: [
        ...before.rules,
        '-A POSTROUTING -s 10.244.0.5/32 -m comment --comment "name: \\"bridge\\" id: \\"4c1d\\"" -j CNI-0a1b',
        '-A CNI-0a1b -d 10.244.0.0/16 -m comment --comment "name: \\"bridge\\" id: \\"4c1d\\"" -j ACCEPT',
        '-A POSTROUTING -s 10.88.0.7/32 -m comment --comment "name: \\"podman\\" id: \\"77aa\\"" -j CNI-9f8e',
        '-A CNI-9f8e -d 10.88.0.0/16 -m comment --comment "name: \\"podman\\" id: \\"77aa\\"" -j ACCEPT',
      ],
    };
    const script = firewallUndoScript('nat', before, now, KUBERNETES_FIREWALL) ?? '';
    expect(script).toContain('-D POSTROUTING -s 10.244.0.5/32');
    expect(script).toContain('-X CNI-0a1b');
    expect(script).not.toContain('podman');
    expect(script).not.toContain('CNI-9f8e');
    expect(script).not.toContain('CNI-HOSTPORT-DNAT');
  });

  it('has nothing to do when nothing was added', () => {
    expect(firewallUndoScript('filter', before, before, KUBERNETES_FIREWALL)).toBeNull();
  });

  it('for the kwok lane\'s podman: its network\'s rules and the CNI chains it made, not the pod network\'s', () => {
    const empty = { chains: ['PREROUTING', 'POSTROUTING', 'OUTPUT'], rules: [] };
    const now = {
      chains: [...empty.chains, 'CNI-HOSTPORT-DNAT', 'CNI-9f8e', 'CNI-0a1b', 'KUBE-SERVICES'],
      rules: [
        '-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT',
        '-A POSTROUTING -s 10.88.0.7/32 -m comment --comment "name: \\"podman\\" id: \\"77aa\\"" -j CNI-9f8e',
        '-A POSTROUTING -s 10.244.0.5/32 -m comment --comment "name: \\"bridge\\" id: \\"4c1d\\"" -j CNI-0a1b',
        '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      ],
    };
    const script = firewallUndoScript('nat', empty, now, PODMAN_FIREWALL) ?? '';
    expect(script).toContain('-X CNI-HOSTPORT-DNAT');
    expect(script).toContain('-X CNI-9f8e');
    expect(script).not.toContain('bridge');
    expect(script).not.toContain('CNI-0a1b');
    expect(script).not.toContain('KUBE-');
  });
});

describe('the lane\'s host paths', () => {
  it('restores what it overwrites and removes only the state it created', () => {
    const policy = Object.fromEntries(LANE_HOST_PATHS.map((p) => [p.path, p.policy]));
    expect(policy['/etc/containerd']).toBe('restore');
    expect(policy['/etc/cni/net.d']).toBe('restore');
    expect(policy['/etc/hosts']).toBe('restore');
    expect(policy['/var/lib/containerd']).toBe('remove-if-new');
    // podman's IP allocations live beside the pod network's: only new entries go.
    expect(policy['/var/lib/cni/networks']).toBe('remove-new-entries');
  });
});

describe('laneStartArgs', () => {
  it("is the start the product plans for driver none with containerd, plus what cgroup v1 hosts need (the kubelet setting, kubeadm's preflight check skipped)", () => {
    expect(laneStartArgs('minikube', 'v1.36.3', '127.0.0.1:5050')).toEqual([
      'start', '-p', 'minikube', '--driver', 'none', '--kubernetes-version', 'v1.36.3',
      '--container-runtime', 'containerd', '--insecure-registry', '127.0.0.1:5050', '--extra-config', 'kubelet.fail-cgroupv1=false',
      '--extra-config', 'kubeadm.ignore-preflight-errors=SystemVerification',
    ]);
  });
});
