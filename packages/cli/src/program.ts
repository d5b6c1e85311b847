import { Argument, Command, Option } from 'commander';
import type { CliContext, GlobalOptions } from './cli-context.js';
import { addClusterOptions } from './cluster-options.js';

/**
 * The qed-bootstrap command line. Only commander is loaded up front: each
 * command's module (and with it the runner, config schema, Kubernetes client …)
 * is imported when that command runs, so `--help` and typos stay fast.
 */
type CommandOptions = GlobalOptions & Record<string, unknown>;
type CommandModule = { run(ctx: CliContext, options: CommandOptions, args: string[]): Promise<number> };

function lazy(load: () => Promise<CommandModule>) {
  return async (...received: unknown[]) => {
    const command = received[received.length - 1] as Command;
    // -v before any command wins over the command, as commander's own --version does.
    if (rootOf(command).getOptionValue('version') === true) {
      process.exitCode = await printVersion(globalOptionsOf(command));
      return;
    }
    const { runCommand } = await import('./run-command.js');
    process.exitCode = await runCommand(globalOptionsOf(command), async (ctx) => {
      const misplaced = misplacedBootstrapOptions(command);
      if (misplaced) {
        const { QedError } = await import('@qed/core');
        throw new QedError('USAGE', misplaced.message, { hint: misplaced.hint });
      }
      return (await load()).run(ctx, commandOptions(command), command.args);
    });
  };
}

/** --version: read when asked (git is asked from a checkout), never at start-up. */
async function printVersion(options: GlobalOptions): Promise<number> {
  const { buildInfo, formatBuildInfo } = await import('./build-info.js');
  const info = await buildInfo();
  process.stdout.write(options.json ? `${JSON.stringify(info, null, 2)}\n` : `${formatBuildInfo(info)}\n`);
  return 0;
}

/**
 * The options every command takes, wherever they are written: before the command
 * (`qed-bootstrap --json doctor`) or after it (`qed-bootstrap doctor --json`).
 * Each command declares them too, because the root's own options are positional.
 */
const GLOBAL_OPTIONS = (): Option[] => [
  new Option('-c, --config <file>', 'project config file (default: qed.config.yaml here or in the nearest parent folder that has one)'),
  new Option('--json', 'print machine-readable JSON on stdout'),
  new Option('-q, --quiet', 'print only results and errors'),
  new Option('--no-color', 'disable colours (NO_COLOR is honoured too)'),
  new Option('-y, --yes', 'never prompt, and agree to what needs consent (CI=true only stops the prompts)'),
  new Option('--debug', 'show commands as they run and stack traces on errors'),
];

/**
 * The guided bootstrap's own options, which only the root command takes. The root's
 * options are positional (read before a command name only), so a command's option of
 * the same name is its own: `cluster up -p aws` is minikube profile aws, and
 * `--profile aws cluster up` is refused rather than taken for it.
 */
const BOOTSTRAP_ONLY = ['target', 'profile', 'namespace', 'only', 'from', 'to', 'dryRun'] as const;

function isExplicit(command: Command, key: string): boolean {
  const source = command.getOptionValueSource(key);
  return source !== undefined && source !== 'default';
}

/** Each global option from the command nearest the leaf that was given it explicitly, else its default. */
function globalOptionsOf(command: Command): GlobalOptions {
  const chain: Command[] = [];
  for (let c: Command | null = command; c; c = c.parent) chain.unshift(c);
  const merged: Record<string, unknown> = {};
  for (const c of chain) {
    for (const option of c.options) {
      const key = option.attributeName();
      if (!GLOBAL_KEYS.has(key)) continue;
      const value = c.getOptionValue(key);
      if (isExplicit(c, key) || !(key in merged)) merged[key] = value;
    }
  }
  return merged as GlobalOptions;
}

const GLOBAL_KEYS = new Set(GLOBAL_OPTIONS().map((o) => o.attributeName()));

/**
 * Bootstrap options written before a command's name (`--profile aws cluster up`):
 * what to say, or null when there are none.
 */
export function misplacedBootstrapOptions(command: Command): { message: string; hint: string } | null {
  const root = rootOf(command);
  if (command === root) return null;
  const misplaced = BOOTSTRAP_ONLY.filter((key) => isExplicit(root, key));
  if (misplaced.length === 0) return null;
  const flags = misplaced.map((key) => root.options.find((o) => o.attributeName() === key)?.long ?? key);
  const own = flags.filter((flag) => command.options.some((o) => o.long === flag));
  return {
    message: `${flags.join(', ')} before \`${command.name()}\` ${flags.length === 1 ? 'is an option' : 'are options'} of the bootstrap itself (qed-bootstrap with no command), not of ${command.name()}`,
    hint: own.length
      ? `To give ${command.name()} its own ${own.join(', ')}, write it after the command: qed-bootstrap ${commandPath(command)} ${own.map((f) => `${f} …`).join(' ')} (see its --help: it may mean something else there).`
      : `Leave it out, or run the bootstrap: qed-bootstrap ${flags.map((f) => `${f} …`).join(' ')}.`,
  };
}

/** What a command's run receives: the global options, then its own (the root: its bootstrap options). */
export function commandOptions(command: Command): CommandOptions {
  const own: Record<string, unknown> = {};
  for (const option of command.options) {
    const key = option.attributeName();
    if (!GLOBAL_KEYS.has(key)) own[key] = command.getOptionValue(key);
  }
  return { ...globalOptionsOf(command), ...own } as CommandOptions;
}

function rootOf(command: Command): Command {
  let c = command;
  while (c.parent) c = c.parent;
  return c;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export function buildProgram(): Command {
  const program = new Command('qed-bootstrap')
    .description('Bootstrap the QED platform on a local Kubernetes cluster: check the machine, then cluster, registry, images and deploy.')
    .addOption(new Option('-v, --version', 'print the version and the commit it was built from'))
    .enablePositionalOptions()
    // The guided bootstrap's own options (the root command runs it).
    .addOption(new Option('--target <target>', 'minikube (create or start the cluster) or context:NAME (an existing kube context)'))
    .addOption(new Option('--profile <name>', 'bootstrap: manifest profile, local, aws or azure (default local)'))
    .addOption(new Option('--namespace <ns>', 'bootstrap: namespace (default: namespace in qed.config.yaml)'))
    .addOption(new Option('--only <services>', 'bootstrap: comma-separated services to deploy (default: services in qed.config.yaml)'))
    .addOption(new Option('--from <step>', 'bootstrap: start at this step (doctor, cluster, registry, docker-config, images, manifests, apply, wait, summary)'))
    .addOption(new Option('--to <step>', 'bootstrap: stop after this step'))
    .addOption(new Option('--dry-run', "bootstrap: print every step's plan; change nothing"))
    .showSuggestionAfterError(true)
    // The root runs the guided bootstrap, so commander would take a mistyped
    // command for an argument: catch that first and suggest the nearest command.
    .argument('[command]')
    // Without it commander shows that argument beside its own `[command]`: `[command] [command]`.
    .usage('[options] [command]')
    .hook('preAction', (root, action) => {
      const [word] = action === root ? root.args : [];
      if (word === undefined) return;
      const names = root.commands.map((c) => c.name());
      const near = names.filter((name) => editDistance(word, name) <= 2);
      root.error(`error: unknown command '${word}'${near.length ? `\n(Did you mean ${near.join(', ')}?)` : ''}`, {
        code: 'commander.unknownCommand',
        exitCode: 2,
      });
    })
    .action(lazy(() => import('./commands/bootstrap-command.js')));

  program
    .command('doctor')
    .description('check this machine for everything the QED stack needs, with a fix for each problem')
    .action(lazy(() => import('./commands/doctor-command.js')));

  const collect = (value: string, previous: string[] = []) => [...previous, value];
  addClusterOptions(
    program
      .command('convert')
      .description(
        'convert compose files to Kubernetes objects (what kompose does), reporting every key it does not translate; --json writes JSON manifests (and prints the report as JSON), --namespace NS writes NS into every object',
      )
      .option('-f, --file <file>', 'compose file; repeat to merge several, as docker compose does (default: ./compose.yaml, ./docker-compose.yml …)', collect)
      .option('--replicas <n>', 'replicas for services whose file sets no deploy.replicas (default 1)')
      .option('--volumes <kind>', 'named volumes as persistentVolumeClaim (default), hostPath (under --data-root) or emptyDir; configMap: bind-mounted files and folders as ConfigMaps')
      .option(
        '--controller <kind>',
        'deployment (default), statefulset, daemonset or replicationController (warned: Deployments supersede it); any case; kompose.controller.type wins per service',
      )
      .option('--env-file <file>', 'variables for interpolation (default: .env beside the first file)')
      .option('--compose-profile <name>', 'enable services of this compose profile; repeatable (COMPOSE_PROFILES works too)', collect)
      .option('--data-root <dir>', 'local profile: a hostPath PersistentVolume under DIR for every claim (and the folder for --volumes hostPath)')
      .option('--bind-files <kind>', 'bind-mounted single files as hostPath (default) or configmap')
      .option('--generate-network-policies', 'a NetworkPolicy per compose network: only services on a shared network reach each other')
      .option('--run-once <kind>', 'services with restart no / on-failure become a job (default), a bare pod (as kompose makes them) or the --controller workload')
      .option('--volume-size <size>', 'storage requested by each claim (default 1Gi)')
      .option('--pvc-request-size <size>', "kompose's name for --volume-size")
      .option(
        '--service-group-mode <mode>',
        'label: services with one kompose.service.group label share a pod (always done; passing label changes nothing); volume: services that mount exactly the same volumes share a pod, and the label is not used',
      )
      .option('--service-group-name <name>', 'with --service-group-mode volume: the name of the shared pod (default: its services\' names joined by "-")')
      .option('--with-kompose-annotation [bool]', "true (default): convert's compose.qed-bootstrap/* annotations (service, depends-on, alias), as kompose writes kompose.cmd; false leaves them out")
      .option('--build <mode>', "none (default): services' build sections are warned, not run; local: build each with docker, tagged as the manifests name it, before anything is written")
      .option('--push-image', 'with --build local, push each built image (a failed build or push writes nothing)')
      .option('--push-image-registry <host>', 'with --build local, name the built images under this registry (host[:port]), in the manifests too, and push them there')
      .option('--error-on-warning', 'any warning fails the conversion (exit 1) before anything is written or applied')
      .option('-o, --out <dir>', 'write one file per object here, named like qed-django-deployment.yml (default: the current folder)')
      .option('--chart', 'write a Helm chart (Chart.yaml, values.yaml with images and replicas, templates/) into -o DIR (default: the project name)')
      .option('--stdout', 'print one YAML stream (with --json a JSON List) instead of writing files (Secret values masked)')
      .option('--reveal-secrets', 'with --stdout, print Secret values (for piping into kubectl apply -f -)')
      .option('--apply', 'apply the objects to the cluster (validated first, as `apply` does): kompose up')
      .option('--wait', 'with --apply, wait until every workload is ready')
      .option('--dry-run', "with --apply, only the server's dry run: nothing changes; with --build local, the builds are listed, not run"),
  ).action(lazy(() => import('./commands/convert-command.js')));

  const manifests = program.command('manifests').description('the QED Kubernetes manifests: render, validate, migrate');
  addClusterOptions(
    manifests
      .command('validate')
      .argument('[paths...]', 'manifest files or directories (default: .qed/manifests)')
      .description('check every object against the Kubernetes schema, and the server dry run when a cluster answers'),
  ).action(lazy(() => import('./commands/manifests-validate-command.js')));

  manifests
    .command('render')
    .description('write the QED manifests for a profile: images, hostPaths, namespace and secrets filled in')
    .option('--profile <name>', 'local (hostPath volumes under the data root), aws or azure (storage classes); default local')
    .option('--registry <host:port>', 'rewrite the configured images to this registry')
    .option('--only <services>', 'comma-separated services to render (default: services in qed.config.yaml)')
    .option('--data-root <dir>', 'where hostPath volume data lives (default: dataRoot in qed.config.yaml)')
    .option('--namespace <ns>', 'namespace (default: namespace in qed.config.yaml)')
    .option('--secrets-file <file>', 'KEY=value file of secret values (default: ~/.qed/secrets.env; QED_SECRET_<KEY> variables win)')
    .option('--manifests <dir>', "the base and profiles to render (default: this repository's manifests/)")
    .option('--images-file <file>', 'refs pushed by `images` (default: .qed/images.json, used when present)')
    .option('--out <dir>', 'output directory (default: .qed/manifests)')
    .option('--dry-run', 'print the rendered YAML (secrets masked); write nothing')
    .action(lazy(() => import('./commands/manifests-render-command.js')));

  addClusterOptions(
    manifests
      .command('migrate')
      .argument('<paths...>', 'legacy manifest files or directories (e.g. the original qed_kube folder)')
      .description(
        'upgrade legacy manifests to current APIs; resolve {{PWD}} and relative hostPaths; repair invalid names; validate what is written',
      )
      .option('--data-root <dir>', 'where hostPath data lives on this machine (default: dataRoot in qed.config.yaml)')
      .option('--out <dir>', 'write the migrated files here (default: print them)')
      .option('--dry-run', 'list the changes; write nothing')
      .option('--keep-going', 'write the files that pass validation even when others do not (exit code still 1)')
      .option('--offline', 'check against the Kubernetes schema only; do not ask the cluster for a dry run'),
  ).action(lazy(() => import('./commands/manifests-migrate-command.js')));

  addClusterOptions(
    program
      .command('apply')
      .description('validate, then server-side apply the manifests in dependency order; --wait until ready')
      .option('--dir <dir>', 'directory of manifests (default: .qed/manifests)')
      .option('--wait', 'wait until workloads are ready and claims bound, and diagnose what is not')
      .option('--timeout <seconds>', 'how long --wait waits', '300')
      .option('--prune', 'delete objects qed-bootstrap applied before that are no longer in the set (asks first)')
      .option('--dry-run', 'show what would change; change nothing'),
  ).action(lazy(() => import('./commands/apply-command.js')));

  addClusterOptions(
    program.command('status').description('workloads, readiness, images, service ports and how to reach them'),
  ).action(lazy(() => import('./commands/status-command.js')));

  addClusterOptions(
    program
      .command('down')
      .description('remove what qed-bootstrap applied; volume data is kept unless --purge')
      .option('--purge', 'also delete claims, volumes and the namespace (asks first)')
      .option('--dry-run', 'show what would be removed'),
  ).action(lazy(() => import('./commands/down-command.js')));

  program
    .command('cluster')
    .argument('[action]', 'up | status | stop | delete', 'status')
    .description('the minikube cluster: driver from what doctor finds, insecure registry and data mounts wired in')
    .option('-p, --profile <name>', 'minikube profile (default: cluster.profile in qed.config.yaml)')
    .option('--driver <driver>', 'virtualbox, hyperv, docker, … (default: chosen from what doctor finds)')
    .option('--hyperv-virtual-switch <name>', 'Hyper-V: the external virtual switch to attach to')
    .option('--cpus <n>', 'CPUs for the cluster')
    .option('--memory <mb>', 'memory for the cluster, in MB')
    .option('--disk-size <mb>', 'disk for the VM, in MB')
    .option('--kubernetes-version <version>', 'Kubernetes version, e.g. v1.34.0')
    .option('--container-runtime <runtime>', 'docker, containerd or cri-o (default: cluster.containerRuntime, else minikube\'s)')
    .option('--extra-config <component.key=value>', 'minikube --extra-config, e.g. kubelet.fail-cgroupv1=false; repeatable (default: cluster.extraConfig)', collect)
    .option('--dry-run', 'show the minikube commands that would run')
    .action(lazy(() => import('./commands/cluster-command.js')));

  program
    .command('registry')
    .argument('[action]', 'up | status | down', 'status')
    .description("the local registry (the guide's registry:2), bound to 127.0.0.1 with a data volume")
    .option('--port <port>', 'host port (default: the port of registry.host in qed.config.yaml)')
    .option('--name <name>', 'container name (default: registry.name, "registry")')
    .option('--purge', 'down: also delete the data volume (asks first)')
    .action(lazy(() => import('./commands/registry-command.js')));

  program
    .command('docker-config')
    .argument('[action]', 'check | fix | revert', 'check')
    .description("find and fix credsStore entries in docker's config.json that break pushes to a local registry (macOS)")
    .action(lazy(() => import('./commands/docker-config-command.js')));

  program
    .command('images')
    .argument('[action]', 'build | push (both build what changed and push it to the local registry)', 'push')
    .description('build, tag and push the configured images into the local registry, skipping what has not changed')
    .option('--only <names>', 'comma-separated image names')
    .option('--mirror', 'also pull third-party images and push them to the local registry (needs the network)')
    .action(lazy(() => import('./commands/images-command.js')));

  program
    .command('init')
    .description('write a commented qed.config.yaml here for a QED checkout, with the build contexts of the QED images found (or asked for)')
    .option('--repos <dir>', 'where the QED repositories with their Dockerfiles are (default: asked; found under this folder and its parent)')
    .option('--dry-run', 'print the file; write nothing')
    .action(lazy(() => import('./commands/init-command.js')));

  program
    .command('completion')
    .addArgument(new Argument('<shell>', 'the shell to write a completion script for').choices(['bash', 'zsh', 'fish', 'powershell']))
    .description('print a shell completion script: subcommands, options and their fixed values (see docs/guide.md)')
    .action(lazy(() => import('./commands/completion-command.js')));

  addClusterOptions(
    program
      .command('dev')
      .description('the edit -> running loop: watch each image\'s build context; on a save, sync the files into the running containers (images[].sync) or rebuild that image alone, push it and roll out only what runs it')
      .option('--only <images>', 'comma-separated image names to watch (default: every image with a build context)')
      .option('--rollout-timeout <seconds>', 'how long a rollout may take before it is diagnosed (default 120)')
      .option('--no-forward', "do not port-forward the namespace's Services (by default dev forwards them and prints their URLs)")
      .option('--no-logs', "do not show the output of the containers that run the watched images (shown by default, as `logs -f` prints it)"),
  ).action(lazy(() => import('./commands/dev-command.js')));

  addClusterOptions(
    program
      .command('logs')
      .argument('[services...]', 'Deployments, StatefulSets or DaemonSets by name (default: every one in the namespace)')
      .description("every pod's log of the services, interleaved, each line behind a coloured `service |`; -f follows new pods across rollouts")
      .option('-f, --follow', 'keep printing lines as they come, and those of the pods a rollout or restart brings')
      .option('--since <duration>', 'only lines of the last DURATION, e.g. 30s, 5m, 1h30m')
      .option('--tail <lines>', 'lines of each running container to start with (default 10, or all with --since; -1: all)'),
  ).action(lazy(() => import('./commands/logs-command.js')));

  addClusterOptions(
    program
      .command('forward')
      .argument('[services...]', 'Services by name (default: every one in the namespace with a TCP port)')
      .description("port-forward every port of the services to 127.0.0.1, on the Service's own port when free, else the next free one; follows replaced pods"),
  ).action(lazy(() => import('./commands/forward-command.js')));

  const config = program.command('config').description('inspect the project config (qed.config.yaml)');
  config
    .command('show')
    .description('print the config in effect: the file laid over the defaults')
    .action(lazy(() => import('./commands/config-show-command.js')));
  config
    .command('validate')
    .description('check the config file against its schema; errors name file, line and key')
    .action(lazy(() => import('./commands/config-validate-command.js')));

  // Every command takes the global options, before or after its name; its help lists
  // only its own and points to the root's for the rest, as kubectl does.
  const addGlobals = (command: Command) => {
    for (const option of GLOBAL_OPTIONS()) command.addOption(command === program ? option : option.hideHelp());
    if (command !== program) command.addHelpText('after', '\nGlobal options (-c, --json, -q, --no-color, -y, --debug): see qed-bootstrap --help.');
    for (const sub of command.commands) addGlobals(sub);
  };
  addGlobals(program);
  return program;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

