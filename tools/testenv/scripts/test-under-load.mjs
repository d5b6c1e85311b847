#!/usr/bin/env node
// Runs the README's test command while other processes keep CPU cores busy, to show
// that no test depends on how fast or loaded the machine is (docs/testing.md).
//
//   node tools/testenv/scripts/test-under-load.mjs [--busy N] [-- command args...]
//
// N busy processes (default: all cores but one, at least one) spin at normal
// priority for the whole run; the command (default `npm test`) runs beside them.
// The busy processes are ours and are stopped by their PIDs when it ends, however
// it ends. Exit code: the command's. SIGINT, SIGTERM and SIGHUP are passed on to
// the command, which is waited for (its own children, the test environment among
// them, are its to stop); then the busy processes are stopped and this exits with
// 128 + the signal's number (130, 143, 129), as a shell reports it.
import { spawn } from 'node:child_process';
import os from 'node:os';

const args = process.argv.slice(2);
const separator = args.indexOf('--');
const own = separator < 0 ? args : args.slice(0, separator);
const command = separator < 0 ? ['npm', 'test'] : args.slice(separator + 1);
const busyFlag = own.indexOf('--busy');
const cores = os.availableParallelism();
const busyCount = busyFlag < 0 ? Math.max(1, cores - 1) : Number(own[busyFlag + 1]);
if (!Number.isInteger(busyCount) || busyCount < 1) {
  console.error(`--busy takes a whole number of processes, at least 1 (got ${own[busyFlag + 1]})`);
  process.exit(2);
}

const busy = Array.from({ length: busyCount }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);
const stopBusy = () => {
  for (const child of busy) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
};
process.on('exit', stopBusy);

console.error(
  `test-under-load: ${busyCount} busy process${busyCount === 1 ? '' : 'es'} (PIDs ${busy.map((c) => c.pid).join(', ')}) on ${cores} cores; running: ${command.join(' ')}`,
);
const started = Date.now();
const run = spawn(command[0], command.slice(1), { stdio: 'inherit' });
/** The first signal received, which sets the exit code. */
let stoppedBy = null;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stoppedBy ??= signal;
    // The load is moot now, and only slows the command's shutdown.
    stopBusy();
    // Passed on every time: a second Ctrl-C is the command's to treat as "now".
    if (run.exitCode === null && run.signalCode === null) run.kill(signal);
  });
}
run.on('error', (error) => {
  stopBusy();
  console.error(`test-under-load: could not run ${command.join(' ')}: ${error.message}`);
  process.exit(127);
});
run.on('exit', async (code, signal) => {
  stopBusy();
  // Gone before this exits, so whoever waits on this script finds no busy process left.
  await Promise.all(busy.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null)));
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.error(`test-under-load: ${command.join(' ')} ended with ${signal ?? `exit code ${code}`} after ${minutes} min beside ${busyCount} busy process${busyCount === 1 ? '' : 'es'}`);
  const ended = stoppedBy ?? signal;
  process.exit(ended ? 128 + (os.constants.signals[ended] ?? 0) : (code ?? 1));
});
