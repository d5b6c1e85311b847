import { readFileSync } from 'node:fs';
import type { FakeCommandRunner } from '@qed/testing';

/**
 * The outputs recorded from the real minikube v1.38.1 (driver none, containerd) by
 * tools/testenv/scripts/record-minikube-outputs.mjs, kept beside the minikube
 * package that parses them.
 */
const dir = new URL('../../../minikube/src/__fixtures__/minikube-v1.38.1/', import.meta.url);

interface Recording {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Teaches the runner each recording's command line, answered as minikube answered it. */
export function replayMinikube(runner: FakeCommandRunner, ...names: string[]): FakeCommandRunner {
  for (const name of names) {
    const r = JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as Recording;
    const [command = '', ...args] = r.command.split(' ');
    runner.on(command, args, { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr });
  }
  return runner;
}
