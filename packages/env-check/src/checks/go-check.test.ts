import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { testContext } from '../__fixtures__/test-context.js';
import { goCheck } from './go-check.js';

describe('goCheck', () => {
  it.each([
    ['go version go1.26.8 linux/amd64\n', '1.26.8', 'go1.26.8 linux/amd64'],
    ['go version go1.27rc1 darwin/arm64\n', '1.27rc1', 'go1.27rc1 darwin/arm64'],
    ['go version go1.20 windows/amd64\r\n', '1.20', 'go1.20 windows/amd64'],
  ])('reads %j', async (stdout, version, found) => {
    const runner = new FakeCommandRunner().on('go', ['version'], { stdout });
    const result = await goCheck.run(testContext({ runner }));
    expect(result).toMatchObject({ status: 'ok', version, hint: null });
    expect(result.detail).toBe(`${found}; optional: only needed to compile minikube or kompose from source`);
  });

  it('never lets `go version` download a toolchain', async () => {
    const runner = new FakeCommandRunner().on('go', ['version'], {
      stdout: 'go version go1.26.8 linux/amd64\n',
    });
    await goCheck.run(testContext({ runner }));
    expect(runner.calls[0]?.env).toEqual({ GOTOOLCHAIN: 'local' });
  });

  it('is skipped, never failed, when missing', async () => {
    const runner = new FakeCommandRunner().on('go', undefined, { notInstalled: true });
    const result = await goCheck.run(testContext({ runner, os: 'windows' }));
    expect(result.status).toBe('skip');
    expect(result.hint).toBe('Only if you compile from source: winget install GoLang.Go.');
  });

  it('warns, never fails, when go cannot say its version', async () => {
    const runner = new FakeCommandRunner().on('go', ['version'], {
      stderr: 'go: downloading go1.27.0 (linux/amd64)\ngo: download go1.27.0: toolchain not available\n',
      exitCode: 1,
    });
    const result = await goCheck.run(testContext({ runner }));
    expect(result.status).toBe('warn');
    expect(result.detail).toBe('go version did not report a version: go: downloading go1.27.0 (linux/amd64)');
  });
});
