import type { ClusterDriver } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { testContext } from '../__fixtures__/test-context.js';
import {
  VBOX_7_1,
  VBOX_MODULE_NOT_LOADED,
  VBOX_MODULE_WARNING_ON_STDERR,
  VBOX_UBUNTU,
} from '../__fixtures__/virtualbox-outputs.js';
import { virtualboxCheck } from './virtualbox-check.js';

const virtualbox = { driver: 'virtualbox' as ClusterDriver };

describe('virtualboxCheck', () => {
  it.each([
    ['7.1.4r165100', VBOX_7_1, '7.1.4', 'VirtualBox 7.1.4 (r165100)'],
    ["Ubuntu's 7.0.20_Ubuntur163906", VBOX_UBUNTU, '7.0.20', 'VirtualBox 7.0.20 (r163906)'],
  ])('reads %s', async (_name, output, version, detail) => {
    const runner = new FakeCommandRunner().on('VBoxManage', ['--version'], output);
    const result = await virtualboxCheck.run(testContext({ runner, cluster: virtualbox }));
    expect(result).toMatchObject({
      status: 'ok',
      version,
      detail,
      required: 'installed (cluster.driver is virtualbox)',
    });
    expect(runner.commandLines).toEqual(['VBoxManage --version']);
  });

  it('warns about the kernel module paragraph printed before the version', async () => {
    const runner = new FakeCommandRunner().on('VBoxManage', ['--version'], VBOX_MODULE_NOT_LOADED);
    const result = await virtualboxCheck.run(testContext({ runner, cluster: virtualbox }));
    expect(result).toMatchObject({
      status: 'warn',
      version: '7.1.4',
      detail: 'VirtualBox 7.1.4, but: The vboxdrv kernel module is not loaded.',
    });
    expect(result.hint).toContain('sudo /sbin/vboxconfig');
  });

  it('warns about a warning on stderr, keeping the first sentence of a wrapped paragraph', async () => {
    const runner = new FakeCommandRunner().on('VBoxManage', ['--version'], VBOX_MODULE_WARNING_ON_STDERR);
    const result = await virtualboxCheck.run(testContext({ runner }));
    expect(result).toMatchObject({
      status: 'warn',
      version: '7.0.20',
      detail: 'VirtualBox 7.0.20, but: The character device /dev/vboxdrv does not exist.',
    });
  });

  it('fails when missing and the driver is virtualbox', async () => {
    const runner = new FakeCommandRunner().on('VBoxManage', undefined, { notInstalled: true });
    const result = await virtualboxCheck.run(testContext({ runner, os: 'windows', cluster: virtualbox }));
    expect(result).toMatchObject({ status: 'fail', detail: 'VBoxManage is not installed (not on PATH)' });
    expect(result.hint).toBe('Install VirtualBox: winget install Oracle.VirtualBox.');
  });

  it.each(['auto', 'docker', 'hyperv'] as const)(
    'is skipped when missing and the driver is %s',
    async (driver) => {
      const runner = new FakeCommandRunner().on('VBoxManage', undefined, { notInstalled: true });
      const result = await virtualboxCheck.run(testContext({ runner, cluster: { driver } }));
      expect(result).toMatchObject({
        status: 'skip',
        required: null,
        detail: `not installed; not needed for driver ${driver}`,
        hint: null,
      });
    },
  );

  it('finds VBoxManage.exe where the Windows installer put it', async () => {
    const exe = 'C:\\Program Files\\Oracle\\VirtualBox\\VBoxManage.exe';
    const runner = new FakeCommandRunner().on(exe, ['--version'], { stdout: '7.1.4r165100\r\n' });
    const result = await virtualboxCheck.run(
      testContext({
        runner,
        os: 'windows',
        cluster: virtualbox,
        env: { VBOX_MSI_INSTALL_PATH: 'C:\\Program Files\\Oracle\\VirtualBox\\' },
      }),
    );
    expect(result).toMatchObject({ status: 'ok', version: '7.1.4' });
    expect(runner.calls[0]?.command).toBe(exe);
  });

  it('refuses VirtualBox on Apple silicon with the reason, without asking VBoxManage', async () => {
    const runner = new FakeCommandRunner().on('VBoxManage', ['--version'], VBOX_7_1);
    const apple = { os: 'macos' as const, platform: { arch: 'arm64' } };
    const needed = await virtualboxCheck.run(testContext({ runner, ...apple, cluster: virtualbox }));
    expect(needed).toMatchObject({
      status: 'fail',
      required: 'installed (cluster.driver is virtualbox)',
      detail:
        'VirtualBox does not run x86 VMs on Apple silicon, and released minikube (up to v1.38) has no VirtualBox support for Apple silicon',
      hint: 'Use docker, vfkit or qemu2 instead: set cluster.driver in qed.config.yaml (auto chooses from what this report finds).',
    });
    expect(await virtualboxCheck.run(testContext({ runner, ...apple }))).toMatchObject({
      status: 'skip',
      detail:
        'VirtualBox does not run x86 VMs on Apple silicon, and released minikube (up to v1.38) has no VirtualBox support for Apple silicon; not needed for driver auto',
    });
    expect(runner.calls).toEqual([]);
  });

  it('fails on output without a version when VirtualBox is the driver, and only warns otherwise', async () => {
    const broken = { stderr: 'VBoxManage: error: Failed to create the VirtualBox object!\n', exitCode: 1 };
    const needed = await virtualboxCheck.run(
      testContext({
        runner: new FakeCommandRunner().on('VBoxManage', ['--version'], broken),
        cluster: virtualbox,
      }),
    );
    const optional = await virtualboxCheck.run(
      testContext({ runner: new FakeCommandRunner().on('VBoxManage', ['--version'], broken) }),
    );
    expect(needed.status).toBe('fail');
    expect(optional.status).toBe('warn');
    expect(needed.detail).toBe(
      'VBoxManage --version printed no version: VBoxManage: error: Failed to create the VirtualBox object!',
    );
  });
});
