import { parseRegistryEndpoint, QedError } from '@qed/core';
import {
  applyDockerConfigFix,
  applyDockerConfigRevert,
  checkDockerConfig,
  describeDockerConfigFix,
  formatDockerConfigReport,
  localRegistryHosts,
  planDockerConfigFix,
  planDockerConfigRevert,
  readDockerConfigFacts,
} from '@qed/docker-config';
import type { CliContext, GlobalOptions } from '../cli-context.js';
import { confirm } from '../confirm.js';

/**
 * `qed-bootstrap docker-config check|fix|revert`: the credential-store entries
 * that break pushes to a local registry (macOS keychain). fix and revert write
 * only with consent, after a backup; credentials are never printed.
 */
export async function run(ctx: CliContext, options: GlobalOptions, args: string[]): Promise<number> {
  const [action = 'check'] = args;
  const { output } = ctx;
  const { config, file } = await ctx.loadConfig();
  const { port } = parseRegistryEndpoint(config.registry.host, file);
  const registryHosts = localRegistryHosts(port);
  const facts = await readDockerConfigFacts({ env: ctx.env, homeDir: ctx.homeDir });

  if (action === 'check') {
    const report = checkDockerConfig(facts, { registryHosts });
    if (output.mode.json) output.json(report);
    else output.result(formatDockerConfigReport(report).join('\n'));
    return report.findings.length === 0 ? 0 : 1;
  }
  if (action === 'fix') {
    const plan = planDockerConfigFix(facts, { now: ctx.clock.now(), registryHosts });
    if (plan.action === 'none') {
      output.result(plan.reason);
      return 0;
    }
    output.info(describeDockerConfigFix(plan).join('\n'));
    const consent = await confirm(ctx, `Change ${plan.path} (a backup is kept at ${plan.backupPath})?`, options);
    const outcome = await applyDockerConfigFix(plan, { consent });
    output.result(outcome.status === 'written' ? `Fixed ${plan.path}; backup at ${outcome.backupPath}. Undo with \`qed-bootstrap docker-config revert\`.` : 'Nothing to do.');
    return 0;
  }
  if (action === 'revert') {
    const plan = planDockerConfigRevert(facts);
    if (plan.action === 'none') {
      output.result(plan.reason);
      return 0;
    }
    await applyDockerConfigRevert(plan, { consent: await confirm(ctx, `Restore ${plan.path} from ${plan.backupPath}?`, options) });
    output.result(`Restored ${plan.path} from ${plan.backupPath}.`);
    return 0;
  }
  throw new QedError('USAGE', `unknown docker-config action "${action}"`, { hint: 'Use one of: check, fix, revert.' });
}
