import { isQedError } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { testContext } from './__fixtures__/test-context.js';
import { CHECK_COMMAND_TIMEOUT_MS, firstLine, parseJsonObject, runTool } from './run-tool.js';

describe('runTool', () => {
  it('runs with the check timeout', async () => {
    const runner = new FakeCommandRunner().on('go', ['version'], {
      stdout: 'go version go1.26.8 linux/amd64\n',
    });
    const result = await runTool(testContext({ runner }), { command: 'go', args: ['version'] });
    expect(result?.stdout).toContain('go1.26.8');
    expect(runner.calls[0]?.timeoutMs).toBe(CHECK_COMMAND_TIMEOUT_MS);
  });

  it('answers null for a tool that is not installed', async () => {
    const runner = new FakeCommandRunner().on('kompose', undefined, { notInstalled: true });
    expect(await runTool(testContext({ runner }), { command: 'kompose', args: ['version'] })).toBeNull();
  });

  it('leaves timeouts to the caller', async () => {
    const runner = new FakeCommandRunner().on('docker', undefined, { timeout: true });
    const error = await runTool(testContext({ runner }), { command: 'docker' }).catch((e: unknown) => e);
    expect(isQedError(error, 'COMMAND_TIMEOUT')).toBe(true);
  });
});

describe('firstLine', () => {
  it.each([
    ['one\ntwo', 'one'],
    ['\n\n  indented \r\nnext', 'indented'],
    ['', ''],
    ['\n \n', ''],
  ])('%j -> %j', (text, expected) => {
    expect(firstLine(text)).toBe(expected);
  });
});

describe('parseJsonObject', () => {
  it.each([
    ['{"a":1}\n', { a: 1 }],
    ['W1124 05:51:43 warning: something\n{\n  "a": 1\n}\n', { a: 1 }],
    ['[1, 2]', null],
    ['null', null],
    ['{"a":', null],
    ['Docker version 1.13.1', null],
    ['', null],
  ])('%j -> %j', (text, expected) => {
    expect(parseJsonObject(text)).toEqual(expected);
  });
});
