import { isQedError } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { FakeCommandRunner } from './fake-command-runner.js';

describe('FakeCommandRunner', () => {
  it('replays the recording that matches the exact argv and keeps the calls', async () => {
    const runner = new FakeCommandRunner()
      .on('kubectl', ['version', '--client', '-o', 'json'], { stdout: '{"clientVersion":{}}' })
      .on('kubectl', undefined, { exitCode: 1, stderr: 'unexpected' });
    const result = await runner.run({ command: 'kubectl', args: ['version', '--client', '-o', 'json'] });
    expect(result).toMatchObject({ exitCode: 0, stdout: '{"clientVersion":{}}' });
    expect(runner.commandLines).toEqual(['kubectl version --client -o json']);
  });

  it('falls back to an any-args recording', async () => {
    const runner = new FakeCommandRunner().on('go', undefined, { stdout: 'go version go1.26.8 linux/amd64\n' });
    expect((await runner.run({ command: 'go', args: ['version'] })).stdout).toContain('go1.26.8');
  });

  it('throws the runner\'s typed errors for a missing binary and a timeout', async () => {
    const runner = new FakeCommandRunner().on('minikube', undefined, { notInstalled: true }).on('docker', undefined, { timeout: true });
    expect(isQedError(await runner.run({ command: 'minikube' }).catch((e: unknown) => e), 'COMMAND_NOT_FOUND')).toBe(true);
    expect(isQedError(await runner.run({ command: 'docker' }).catch((e: unknown) => e), 'COMMAND_TIMEOUT')).toBe(true);
  });

  it('replays recorded output through onOutput, as a long build would stream it', async () => {
    const runner = new FakeCommandRunner().on('docker', ['build', '.'], { stdout: 'STEP 1/2\n', stderr: 'warning\n' });
    const seen: string[] = [];
    await runner.run({ command: 'docker', args: ['build', '.'], onOutput: (chunk, stream) => seen.push(`${stream}:${chunk}`) });
    expect(seen).toEqual(['stdout:STEP 1/2\n', 'stderr:warning\n']);
  });

  it('fails loudly on a call nothing was recorded for', async () => {
    await expect(new FakeCommandRunner().run({ command: 'VBoxManage', args: ['--version'] })).rejects.toThrow(
      'no recording for: VBoxManage --version',
    );
  });
});
