import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { testContext } from '../__fixtures__/test-context.js';
import { komposeCheck } from './kompose-check.js';

describe('komposeCheck', () => {
  it('reads "1.34.0 (cbf2835db)" and notes that kompose is not needed', async () => {
    const runner = new FakeCommandRunner().on('kompose', ['version'], { stdout: '1.34.0 (cbf2835db)\n' });
    const result = await komposeCheck.run(testContext({ runner }));
    expect(result).toEqual({
      id: 'kompose',
      title: 'kompose',
      status: 'ok',
      version: '1.34.0',
      required: null,
      detail:
        'kompose 1.34.0; optional: qed-bootstrap converts the compose files itself, so kompose is not needed',
      hint: null,
    });
    expect(runner.commandLines).toEqual(['kompose version']);
  });

  it('is skipped, never failed, when missing', async () => {
    const runner = new FakeCommandRunner().on('kompose', undefined, { notInstalled: true });
    const result = await komposeCheck.run(testContext({ runner }));
    expect(result).toMatchObject({ status: 'skip', version: null });
    expect(result.detail).toContain('not needed');
  });

  it('warns, never fails, on a broken install', async () => {
    const runner = new FakeCommandRunner().on('kompose', ['version'], {
      stderr: 'bash: /usr/local/bin/kompose: cannot execute binary file: Exec format error\n',
      exitCode: 126,
    });
    const result = await komposeCheck.run(testContext({ runner, os: 'macos' }));
    expect(result.status).toBe('warn');
    expect(result.hint).toContain('brew reinstall kompose');
  });
});
