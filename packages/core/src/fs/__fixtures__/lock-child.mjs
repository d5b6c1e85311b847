// A separate process taking a lock with lock-file.ts, loaded from source (Node 24
// strips the types; the hook maps the sources' `.js` imports to their `.ts` files).
// Usage: node lock-child.mjs FILE hold|exit
// Prints "ready" once loaded and waits for a line on stdin, so that several can be
// let go at the same instant; then tries once and prints the attempt as JSON.
//   hold: keeps the lock until stdin closes, then releases it
//   exit: process.exit(3) at once, without releasing it
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(
    "export async function resolve(s, c, next) { try { return await next(s, c); } catch (e) { if (s.startsWith('.') && s.endsWith('.js')) return next(s.slice(0, -3) + '.ts', c); throw e; } }",
  )}`,
);
const { tryLockFile } = await import(new URL('../lock-file.ts', import.meta.url).href);
const [file, mode] = process.argv.slice(2);
process.stdout.write('ready\n');
process.stdin.setEncoding('utf8');
await new Promise((resolve) => process.stdin.once('data', resolve));
const attempt = await tryLockFile(file, { command: `lock-child ${mode}` });
process.stdout.write(
  `${JSON.stringify(attempt.acquired ? { acquired: true, pid: process.pid, tookOver: attempt.tookOver } : { acquired: false, pid: process.pid, holder: attempt.holder })}\n`,
);
if (mode === 'exit') process.exit(3);
process.stdin.on('end', async () => {
  if (attempt.acquired) await attempt.lock.release();
  process.exit(0);
});
