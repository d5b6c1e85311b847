import { ProcessRunner } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { createStandInTools, UNRECORDED_EXIT_CODE } from './stand-in-tools.js';

describe('createStandInTools', () => {
  it('answers each recorded argv exactly, fails loudly on any other, and logs every call', async () => {
    const tools = await createStandInTools({
      kubectl: [{ args: ['version', '--client'], stdout: 'Client Version: v1.32.4\n' }],
      docker: [{ args: ['version', '--format', '{{json .}}'], stdout: '{"Client":{}}\n', stderr: 'Cannot connect\n', exitCode: 1 }],
    });
    // The stand-ins' folder is the whole PATH: nothing of this machine's is found.
    const runner = new ProcessRunner({ env: { PATH: tools.binDir } });
    expect(await runner.run({ command: 'kubectl', args: ['version', '--client'] })).toMatchObject({ exitCode: 0, stdout: 'Client Version: v1.32.4\n', stderr: '' });
    expect(await runner.run({ command: 'docker', args: ['version', '--format', '{{json .}}'] })).toMatchObject({ exitCode: 1, stdout: '{"Client":{}}\n', stderr: 'Cannot connect\n' });
    expect(await runner.run({ command: 'kubectl', args: ['version'] })).toMatchObject({
      exitCode: UNRECORDED_EXIT_CODE,
      stderr: 'stand-in kubectl: no recorded answer for ["version"]\n',
    });
    await expect(runner.run({ command: 'minikube', args: ['version'] })).rejects.toMatchObject({ code: 'COMMAND_NOT_FOUND' });
    expect(await tools.calls()).toEqual(['kubectl version --client', 'docker version --format {{json .}}', 'kubectl version']);
  });
});
