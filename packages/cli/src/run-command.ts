import { type CliContext, createCliContext, type GlobalOptions } from './cli-context.js';
import { renderError } from './render-error.js';

export const EXIT_FAILURE = 1;

/** Runs one command with the shared context; every error ends here, rendered once. */
export async function runCommand(options: GlobalOptions, body: (ctx: CliContext) => Promise<number>): Promise<number> {
  const ctx = await createCliContext(options);
  try {
    return await body(ctx);
  } catch (error) {
    renderError(error, ctx.output);
    return EXIT_FAILURE;
  }
}
