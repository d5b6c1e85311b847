import type { CliContext } from './cli-context.js';

/**
 * Consent for anything destructive. --yes (and CI=true with --yes) answers yes;
 * a terminal gets a prompt (defaulting to no); anything else — CI, a pipe, --json
 * — is a no, and the caller refuses with requireConsent (@qed/core).
 */
export async function confirm(ctx: CliContext, question: string, options: { yes?: boolean }): Promise<boolean> {
  if (options.yes) return true;
  if (!ctx.output.mode.interactive) return false;
  const { confirm: ask } = await import('@inquirer/prompts');
  return ask({ message: question, default: false });
}
