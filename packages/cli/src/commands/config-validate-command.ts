import type { CliContext } from '../cli-context.js';

/** `qed-bootstrap config validate`: problems are thrown as CONFIG_INVALID and rendered by the CLI. */
export async function run(ctx: CliContext): Promise<number> {
  const { file } = await ctx.loadConfig();
  if (ctx.output.mode.json) ctx.output.json({ ok: true, file });
  else ctx.output.result(file ? `${file} is valid.` : 'No qed.config.yaml here; the defaults apply (and are valid).');
  return 0;
}
