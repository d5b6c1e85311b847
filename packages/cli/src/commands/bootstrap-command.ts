import type { CliContext } from '../cli-context.js';
import { checkMachine, printReport } from './doctor-command.js';

/**
 * `npx qed-bootstrap` with no command: the guided bootstrap begins with the machine
 * check and goes no further while anything required is missing.
 */
export async function run(ctx: CliContext): Promise<number> {
  const { output } = ctx;
  output.info('Checking this machine before anything is installed or started…');
  const report = await checkMachine(ctx);
  if (!report.ok) {
    printReport(report, output);
    const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
    if (!output.mode.json) {
      output.result(
        `\nqed-bootstrap stopped before changing anything: fix ${failed.join(', ')} as shown above, then run \`npx qed-bootstrap\` again.`,
      );
    }
    return 1;
  }
  printReport(report, output);
  if (!output.mode.json) {
    // The cluster, registry, images and deploy steps are separate issues; this
    // release ships the machine check, so say plainly where the guided run ends.
    output.result(
      '\nThis machine is ready. The guided cluster and registry steps are not in this release yet; with a cluster running, deploy QED with `npx qed-bootstrap manifests render` and `npx qed-bootstrap apply --wait`.',
    );
  }
  return 0;
}
