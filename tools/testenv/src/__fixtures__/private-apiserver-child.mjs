// A test process that starts a private API server and is then stopped by a signal
// without disposing of it (private-apiserver.integration.test.ts). Loaded from
// source: Node 24 strips the types; the hook maps the sources' `.js` imports to `.ts`.
// Usage: QED_TESTENV_CONNECTION='{…}' node private-apiserver-child.mjs DIR
// Prints the server's PID and key prefix as one JSON line, then waits to be stopped.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(
    "export async function resolve(s, c, next) { try { return await next(s, c); } catch (e) { if (s.startsWith('.') && s.endsWith('.js')) return next(s.slice(0, -3) + '.ts', c); throw e; } }",
  )}`,
);
const { startPrivateApiServer } = await import(new URL('../private-apiserver.ts', import.meta.url).href);
const server = await startPrivateApiServer(JSON.parse(process.env.QED_TESTENV_CONNECTION), process.argv[2]);
process.stdout.write(`${JSON.stringify({ pid: server.pid(), storage: server.storage })}\n`);
setInterval(() => undefined, 60_000);
