import { stringify } from 'yaml';
import type { CliContext } from '../cli-context.js';

/** `qed-bootstrap config show`: the effective config, as YAML or --json. */
export async function run(ctx: CliContext): Promise<number> {
  const { config, file } = await ctx.loadConfig();
  if (ctx.output.mode.json) ctx.output.json({ file, config });
  else {
    ctx.output.info(file ? `# from ${file}, laid over the defaults` : '# no qed.config.yaml here: defaults only');
    ctx.output.result(stringify(config).trimEnd());
  }
  return 0;
}
