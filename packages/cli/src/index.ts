export { type CliContext, createCliContext, type GlobalOptions } from './cli-context.js';
export { renderError } from './render-error.js';
export { runCommand } from './run-command.js';
export { buildProgram } from './program.js';
