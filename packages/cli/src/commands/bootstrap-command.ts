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
      [
        '',
        'This machine is ready. The one guided run is not in this release yet; the steps, in order:',
        '  npx qed-bootstrap cluster up',
        '  npx qed-bootstrap registry up',
        '  npx qed-bootstrap images push',
        '  npx qed-bootstrap manifests render --registry host.minikube.internal:<registry port>',
        '  npx qed-bootstrap apply --wait',
      ].join('\n'),
    );
  }
  return 0;
}
