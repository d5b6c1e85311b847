import { isQedError, type Output } from '@qed/core';

/**
 * The one place errors reach the user. A QedError is an expected failure: its
 * message, fix and docs link, no stack unless --debug. Anything else is a bug in
 * qed-bootstrap, and the message says so and where it happened.
 */
export function renderError(error: unknown, output: Output): void {
  const { mode } = output;
  if (isQedError(error)) {
    if (mode.json) output.json({ ok: false, error: error.toJSON() });
    else {
      output.error(error.message);
      if (error.hint) output.result(`  ${output.paint('bold', 'fix:')} ${error.hint}`);
      if (error.docsUrl) output.result(`  docs: ${error.docsUrl}`);
    }
    if (mode.debug) writeDebug(error);
    return;
  }
  const err = error instanceof Error ? error : new Error(String(error));
  const where = firstFrame(err);
  if (mode.json) {
    output.json({ ok: false, error: { code: 'INTERNAL', message: err.message, ...(where ? { where } : {}) } });
  } else {
    output.error(`unexpected internal error (a bug in qed-bootstrap): ${err.message}${where ? `\n  at ${where}` : ''}`);
    output.result('  Please report it with the output of the same command run with --debug.');
  }
  if (mode.debug) writeDebug(err);
}

function firstFrame(error: Error): string | null {
  const frame = error.stack?.split('\n').find((line) => line.trim().startsWith('at '));
  return frame ? frame.trim().slice(3) : null;
}

function writeDebug(error: Error): void {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  if (error.cause) process.stderr.write(`caused by: ${error.cause instanceof Error ? (error.cause.stack ?? error.cause.message) : String(error.cause)}\n`);
}
