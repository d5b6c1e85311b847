// The bin's entry: the command line itself is built in program.ts, which tests import
// without running it.
import { buildProgram } from './program.js';

await buildProgram().parseAsync(process.argv);
