import type { ClusterDriver, OperatingSystem } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { latch } from '../__fixtures__/latch.js';
import { testContext } from '../__fixtures__/test-context.js';
import { virtualizationCheck } from './virtualization-check.js';

/** /proc/cpuinfo, one processor of each kind, trimmed to the lines that matter. */
const INTEL_CPUINFO = `processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Core(TM) i7-12700K
flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc art arch_perfmon pebs bts rep_good nopl xtopology nonstop_tsc cpuid aperfmperf tsc_known_freq pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2 ssse3 sdbg fma cx16 xtpr pdcm pcid sse4_1 sse4_2 x2apic movbe popcnt
vmx flags\t: vnmi preemption_timer posted_intr invvpid ept_x_only ept_ad ept_1gb flexpriority apicv tsc_offset vtpr mtf vapic ept vpid unrestricted_guest vapic_reg vid ple shadow_vmcs ept_mode_based_exec tsc_scaling usr_wait_pause
`;
const AMD_CPUINFO = `processor\t: 0
vendor_id\t: AuthenticAMD
model name\t: AMD Ryzen 7 5800X 8-Core Processor
flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl nonstop_tsc cpuid extd_apicid aperfmperf rapl pni pclmulqdq monitor ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand lahf_lm cmp_legacy svm extapic cr8_legacy abm sse4a
`;
/** A cloud VM without nested virtualisation: no vmx/svm; "vmx flags" lines absent too. */
const VM_CPUINFO = `processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz
flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology nonstop_tsc cpuid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt hypervisor lahf_lm
`;

function linux(options: {
  kvm: boolean;
  cpuinfo: string | null;
  driver?: ClusterDriver;
  os?: OperatingSystem;
}) {
  return testContext({
    os: options.os ?? 'linux',
    cluster: { driver: options.driver ?? 'auto' },
    paths: options.kvm ? ['/dev/kvm'] : [],
    files: options.cpuinfo === null ? {} : { '/proc/cpuinfo': options.cpuinfo },
  });
}

describe('virtualizationCheck on Linux and WSL', () => {
  it.each([
    [{ kvm: true, cpuinfo: INTEL_CPUINFO }, 'ok', 'KVM is available (/dev/kvm); the CPU has VT-x'],
    [{ kvm: true, cpuinfo: null }, 'ok', 'KVM is available (/dev/kvm)'],
    [
      { kvm: false, cpuinfo: INTEL_CPUINFO },
      'warn',
      'the CPU has VT-x but /dev/kvm is missing: the kvm module is not loaded',
    ],
    [
      { kvm: false, cpuinfo: AMD_CPUINFO, driver: 'kvm2' },
      'warn',
      'the CPU has AMD-V but /dev/kvm is missing: the kvm module is not loaded',
    ],
    [
      { kvm: false, cpuinfo: INTEL_CPUINFO, driver: 'virtualbox' },
      'ok',
      'the CPU has VT-x (VirtualBox uses its own kernel module)',
    ],
    [
      { kvm: false, cpuinfo: VM_CPUINFO },
      'warn',
      'no hardware virtualisation found: no /dev/kvm and no vmx/svm flag in /proc/cpuinfo',
    ],
    [
      { kvm: false, cpuinfo: VM_CPUINFO, driver: 'kvm2' },
      'fail',
      'no hardware virtualisation found: no /dev/kvm and no vmx/svm flag in /proc/cpuinfo',
    ],
    [
      { kvm: false, cpuinfo: VM_CPUINFO, driver: 'virtualbox' },
      'fail',
      'no hardware virtualisation found: no /dev/kvm and no vmx/svm flag in /proc/cpuinfo',
    ],
    [
      { kvm: false, cpuinfo: VM_CPUINFO, driver: 'qemu' },
      'fail',
      'no hardware virtualisation found: no /dev/kvm and no vmx/svm flag in /proc/cpuinfo',
    ],
    [
      { kvm: false, cpuinfo: null },
      'warn',
      'no hardware virtualisation found: no /dev/kvm, and /proc/cpuinfo could not be read',
    ],
    [
      { kvm: false, cpuinfo: VM_CPUINFO, driver: 'docker' },
      'skip',
      'no /dev/kvm; not needed: driver docker runs the cluster in a container',
    ],
  ] as const)('%j is %s', async (options, status, detail) => {
    const result = await virtualizationCheck.run(linux(options));
    expect(result).toMatchObject({ id: 'virtualization', status, detail });
    expect(result.hint === null).toBe(status === 'ok' || status === 'skip');
  });

  it('looks for /dev/kvm and reads /proc/cpuinfo at the same time', async () => {
    const both = latch(2);
    const ctx = linux({ kvm: true, cpuinfo: INTEL_CPUINFO });
    const { pathExists, readTextFile } = ctx;
    ctx.pathExists = async (path) => {
      await both.arrive();
      return pathExists(path);
    };
    ctx.readTextFile = async (path) => {
      await both.arrive();
      return readTextFile(path);
    };
    expect((await virtualizationCheck.run(ctx)).status).toBe('ok');
  });

  it('says how to load the right kvm module', async () => {
    const intel = await virtualizationCheck.run(linux({ kvm: false, cpuinfo: INTEL_CPUINFO }));
    const amd = await virtualizationCheck.run(linux({ kvm: false, cpuinfo: AMD_CPUINFO }));
    expect(intel.hint).toContain('sudo modprobe kvm_intel');
    expect(amd.hint).toContain('sudo modprobe kvm_amd');
  });

  it('points out that the docker driver needs none', async () => {
    const result = await virtualizationCheck.run(linux({ kvm: false, cpuinfo: VM_CPUINFO, driver: 'kvm2' }));
    expect(result.required).toBe('hardware virtualisation for driver kvm2');
    expect(result.hint).toContain('the docker driver needs no hardware virtualisation');
  });

  it('tells WSL users about nested virtualisation instead of the BIOS', async () => {
    const result = await virtualizationCheck.run(linux({ kvm: false, cpuinfo: VM_CPUINFO, os: 'wsl' }));
    expect(result.status).toBe('warn');
    expect(result.hint).toContain('nestedVirtualization=true');
  });
});

describe('virtualizationCheck on macOS', () => {
  const mac = (answer: Parameters<FakeCommandRunner['on']>[2], driver: ClusterDriver = 'auto') =>
    testContext({
      os: 'macos',
      cluster: { driver },
      runner: new FakeCommandRunner().on('sysctl', ['-n', 'kern.hv_support'], answer),
    });

  it('is ok with kern.hv_support 1', async () => {
    const ctx = mac({ stdout: '1\n' });
    const result = await virtualizationCheck.run(ctx);
    expect(result).toMatchObject({
      status: 'ok',
      detail: 'Hypervisor.framework is available (kern.hv_support=1)',
    });
    expect(ctx.runner.commandLines).toEqual(['sysctl -n kern.hv_support']);
  });

  it.each([
    ['auto', 'warn'],
    ['vfkit', 'fail'],
    ['qemu', 'fail'],
    ['docker', 'skip'],
  ] as const)('with kern.hv_support 0 and driver %s is %s', async (driver, status) => {
    const result = await virtualizationCheck.run(mac({ stdout: '0\n' }, driver));
    expect(result.status).toBe(status);
    expect(result.detail).toContain('kern.hv_support=0');
  });

  it('warns when sysctl does not know the key', async () => {
    const result = await virtualizationCheck.run(
      mac({ stderr: "sysctl: unknown oid 'kern.hv_support'\n", exitCode: 1 }),
    );
    expect(result).toMatchObject({
      status: 'warn',
      detail: "could not read kern.hv_support: sysctl: unknown oid 'kern.hv_support'",
    });
  });
});

describe('virtualizationCheck on Windows', () => {
  it('is skipped: the hyperv check covers it', async () => {
    const ctx = testContext({ os: 'windows' });
    const result = await virtualizationCheck.run(ctx);
    expect(result).toMatchObject({
      status: 'skip',
      detail: 'on Windows this is covered by the hyperv check',
    });
    expect(ctx.runner.calls).toEqual([]);
  });
});
