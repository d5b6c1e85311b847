// Preloaded with --import in tests: records every module URL the process loads
// (Node's synchronous resolve hook) and prints them to fd 3-less stderr on exit,
// so a test can prove which modules a command did NOT load.
import { registerHooks } from 'node:module';

const seen = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    seen.add(result.url);
    return result;
  },
});
process.on('exit', () => {
  process.stderr.write(`\n@@imports ${JSON.stringify([...seen])}\n`);
});
