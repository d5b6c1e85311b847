import { formatKubeYaml } from '@qed/core';
import type { CliContext } from '../cli-context.js';

/**
 * `qed-bootstrap config show`: the effective config, as YAML or --json. Not read by
 * Kubernetes, but often pasted into a qed.config.yaml: written by the same writer, so
 * a value such as "off" or "0755" stays a string for any reader.
 */
export async function run(ctx: CliContext): Promise<number> {
  const { config, file } = await ctx.loadConfig();
  if (ctx.output.mode.json) ctx.output.json({ file, config });
  else {
    ctx.output.info(file ? `# from ${file}, laid over the defaults` : '# no qed.config.yaml here: defaults only');
    ctx.output.result(formatKubeYaml(config).trimEnd());
  }
  return 0;
}
