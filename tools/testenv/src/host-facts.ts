import { readFile } from 'node:fs/promises';
import type { CommandRunner } from '@qed/core';

/** Every mount target, in the order /proc/mounts lists them (oldest first). */
export async function mountTargets(): Promise<string[]> {
  return (await readFile('/proc/mounts', 'utf8').catch(() => ''))
    .split('\n')
    .map((line) => (line.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter(Boolean);
}

/** Lazily unmounts everything mounted below `dir`, deepest first (podman's overlay store leaves mounts behind a killed service). */
export async function unmountUnder(runner: CommandRunner, dir: string): Promise<void> {
  const targets = (await mountTargets())
    .filter((target) => target.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const target of targets) {
    await runner.run({ command: 'umount', args: ['-l', target], timeoutMs: 10_000 }).catch(() => null);
  }
}

/** The names of the network links (`ip -o link show`). */
export async function linkNames(runner: CommandRunner): Promise<string[]> {
  const result = await runner.run({ command: 'ip', args: ['-o', 'link', 'show'], timeoutMs: 10_000 }).catch(() => null);
  return (result?.stdout ?? '')
    .split('\n')
    .map((line) => /^\d+:\s+([^:@\s]+)/.exec(line)?.[1] ?? '')
    .filter(Boolean);
}
