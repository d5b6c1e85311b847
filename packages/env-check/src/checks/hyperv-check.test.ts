import type { ClusterConfig } from '@qed/core';
import { FakeCommandRunner, type RecordedAnswer } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import {
  FEATURE_DISABLED,
  FEATURE_ENABLED,
  FEATURE_ENABLE_PENDING,
  FEATURE_NEEDS_ELEVATION,
  FEATURE_UNKNOWN_ON_HOME,
  NO_SWITCHES,
  ONE_SWITCH,
  SWITCHES_NEED_ADMIN,
  SWITCH_TYPE_AS_NAME,
  THREE_SWITCHES,
} from '../__fixtures__/powershell-outputs.js';
import { latch } from '../__fixtures__/latch.js';
import { testContext } from '../__fixtures__/test-context.js';
import { HYPERV_FEATURE_ARGS, VM_SWITCH_ARGS, hypervCheck } from './hyperv-check.js';

function windows(feature: RecordedAnswer, switches: RecordedAnswer | null, cluster: Partial<ClusterConfig>) {
  const runner = new FakeCommandRunner().on('powershell.exe', HYPERV_FEATURE_ARGS, feature);
  if (switches) runner.on('powershell.exe', VM_SWITCH_ARGS, switches);
  return testContext({ runner, os: 'windows', cluster });
}

const hyperv = (hypervVirtualSwitch?: string): Partial<ClusterConfig> =>
  hypervVirtualSwitch === undefined ? { driver: 'hyperv' } : { driver: 'hyperv', hypervVirtualSwitch };

describe('hypervCheck', () => {
  it.each(['linux', 'macos', 'wsl'] as const)('is skipped on %s without running anything', async (os) => {
    const ctx = testContext({ os });
    const result = await hypervCheck.run(ctx);
    expect(result).toMatchObject({ status: 'skip', detail: 'Hyper-V exists only on Windows' });
    expect(ctx.runner.calls).toEqual([]);
  });

  it('sends the exact PowerShell commands, both at once', async () => {
    const ctx = windows(FEATURE_ENABLED, ONE_SWITCH, hyperv());
    await hypervCheck.run(ctx);
    expect(ctx.runner.commandLines).toEqual([
      'powershell.exe -NoProfile -NonInteractive -Command (Get-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V-All).State',
      'powershell.exe -NoProfile -NonInteractive -Command Get-VMSwitch | Select-Object Name, SwitchType | ConvertTo-Json',
    ]);
  });

  it('starts the two PowerShell queries at the same time', async () => {
    const ctx = windows(FEATURE_ENABLED, ONE_SWITCH, hyperv('Default Switch'));
    const both = latch(2);
    const run = ctx.runner.run.bind(ctx.runner);
    ctx.runner.run = async (spec) => {
      await both.arrive();
      return run(spec);
    };
    expect((await hypervCheck.run(ctx)).status).toBe('ok');
    expect(both.arrived).toBe(2);
  });

  describe('with driver hyperv', () => {
    it('is ok when the configured switch exists (one switch: a JSON object)', async () => {
      const result = await hypervCheck.run(windows(FEATURE_ENABLED, ONE_SWITCH, hyperv('Default Switch')));
      expect(result).toMatchObject({
        status: 'ok',
        required: 'enabled, with virtual switch "Default Switch"',
        detail: 'Hyper-V is enabled; virtual switch "Default Switch" (Internal)',
      });
    });

    it('is ok when the configured switch is among several (a JSON array), in any case', async () => {
      const result = await hypervCheck.run(
        windows(FEATURE_ENABLED, THREE_SWITCHES, hyperv('primary virtual switch')),
      );
      expect(result).toMatchObject({
        status: 'ok',
        detail: 'Hyper-V is enabled; virtual switch "Primary Virtual Switch" (External)',
      });
    });

    it('reads a switch type written as a name, after a byte-order mark', async () => {
      const result = await hypervCheck.run(
        windows(FEATURE_ENABLED, SWITCH_TYPE_AS_NAME, hyperv('Primary Virtual Switch')),
      );
      expect(result).toMatchObject({
        status: 'ok',
        detail: 'Hyper-V is enabled; virtual switch "Primary Virtual Switch" (External)',
      });
    });

    it('fails when the configured switch does not exist, listing those that do', async () => {
      const result = await hypervCheck.run(
        windows(FEATURE_ENABLED, THREE_SWITCHES, hyperv('External VM Switch')),
      );
      expect(result.status).toBe('fail');
      expect(result.detail).toBe(
        'virtual switch "External VM Switch" (cluster.hypervVirtualSwitch) does not exist; the switches are: "Default Switch" (Internal), "Primary Virtual Switch" (External), "Lab" (Private)',
      );
      expect(result.hint).toMatch(
        /^Set cluster\.hypervVirtualSwitch in qed\.config\.yaml to one of "Default Switch", "Primary Virtual Switch", "Lab", or create an External switch/,
      );
    });

    it('fails when there are no switches at all (empty output), saying how to create one', async () => {
      const result = await hypervCheck.run(
        windows(FEATURE_ENABLED, NO_SWITCHES, hyperv('External VM Switch')),
      );
      expect(result.status).toBe('fail');
      expect(result.detail).toBe(
        'virtual switch "External VM Switch" (cluster.hypervVirtualSwitch) does not exist, and there are no virtual switches at all',
      );
      expect(result.hint).toContain(
        'New-VMSwitch -Name "External VM Switch" -NetAdapterName "<adapter>" -AllowManagementOS $true',
      );
    });

    it('lists the switches when none is configured', async () => {
      const result = await hypervCheck.run(windows(FEATURE_ENABLED, THREE_SWITCHES, hyperv()));
      expect(result).toMatchObject({ status: 'ok', required: 'enabled, with a virtual switch' });
      expect(result.detail).toContain('"Primary Virtual Switch" (External)');
    });

    it('warns when none is configured and none exists', async () => {
      const result = await hypervCheck.run(windows(FEATURE_ENABLED, NO_SWITCHES, hyperv()));
      expect(result.status).toBe('warn');
      expect(result.hint).toContain('New-VMSwitch');
    });

    it.each([
      [
        'disabled',
        FEATURE_DISABLED,
        'fail',
        'Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V -All',
      ],
      ['waiting for a restart', FEATURE_ENABLE_PENDING, 'fail', 'Restart Windows'],
      ['missing on Windows Home', FEATURE_UNKNOWN_ON_HOME, 'fail', 'cluster.driver to docker'],
      ['unreadable without elevation', FEATURE_NEEDS_ELEVATION, 'warn', 'Run as administrator'],
    ] as const)('when the feature is %s: %s', async (_name, feature, status, fix) => {
      const result = await hypervCheck.run(windows(feature, NO_SWITCHES, hyperv('Default Switch')));
      expect(result.status).toBe(status);
      expect(result.hint).toContain(fix);
    });

    it('warns when the switches cannot be listed without administrator rights', async () => {
      const result = await hypervCheck.run(
        windows(FEATURE_ENABLED, SWITCHES_NEED_ADMIN, hyperv('Default Switch')),
      );
      expect(result.status).toBe('warn');
      expect(result.detail).toBe(
        'Hyper-V is enabled, but the virtual switches could not be listed without administrator rights',
      );
      expect(result.hint).toContain('Hyper-V Administrators');
    });
  });

  describe('with another driver', () => {
    it.each([
      ['enabled', FEATURE_ENABLED, 'ok'],
      ['disabled', FEATURE_DISABLED, 'skip'],
      ['missing', FEATURE_UNKNOWN_ON_HOME, 'skip'],
      ['unreadable without elevation', FEATURE_NEEDS_ELEVATION, 'warn'],
    ] as const)(
      'reports a feature that is %s as %s, without listing switches',
      async (_name, feature, status) => {
        const ctx = windows(feature, null, { driver: 'docker' });
        const result = await hypervCheck.run(ctx);
        expect(result.status).toBe(status);
        expect(ctx.runner.calls).toHaveLength(1);
      },
    );

    it('asks for an elevated prompt when the feature state needs one', async () => {
      const result = await hypervCheck.run(windows(FEATURE_NEEDS_ELEVATION, null, { driver: 'auto' }));
      expect(result.detail).toBe('could not read the Hyper-V feature state without administrator rights');
      expect(result.hint).toBe(
        'Run `qed-bootstrap doctor` from a PowerShell started with "Run as administrator".',
      );
    });
  });
});
