#!/usr/bin/env node
// Builds the published package: the CLI (packages/cli/src/main.ts) and everything
// it imports, workspace packages and npm dependencies alike, bundled by rolldown
// into dist/ as ESM chunks. Commands are imported lazily in program.ts, so each
// becomes its own chunk: `--help` loads the entry chunk only. The QED manifests
// travel as assets/manifests. Nothing is left to install at run time.
//
// Three source modules exist only because a bundler cannot follow them; each is
// replaced here by a module it can (see `replacements`).
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const root = path.resolve(packageDir, '../..');
const dist = path.join(packageDir, 'dist');
const require = createRequire(path.join(root, 'packages/manifests/package.json'));

/** Every kind kubernetes-models has, as `kubernetes-models/<group>/<version>/<Kind>`. */
const modelsDir = path.dirname(require.resolve('kubernetes-models/package.json'));

async function kubeModelSpecifiers() {
  const specifiers = [];
  // Folders are `v1` (the core group) or `<group>/<version>`; `_schemas` and `_definitions` are shared code.
  const walk = async (relative) => {
    for (const entry of await readdir(path.join(modelsDir, relative), { withFileTypes: true })) {
      if (entry.name.startsWith('_')) continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (/^[A-Z]\w*\.js$/.test(entry.name) && /^(?:[a-z0-9.-]+\/)?v\d\w*$/.test(relative)) specifiers.push(`kubernetes-models/${child.slice(0, -3)}`);
    }
  };
  await walk('');
  return specifiers.sort();
}

const specifiers = await kubeModelSpecifiers();
const groupVersions = [...new Set(specifiers.map((s) => s.slice(0, s.lastIndexOf('/'))))];

/**
 * The kinds convert writes and the QED manifests hold: validating them is on the path of
 * every `convert`, `manifests render` and `validate`, so their models and every schema
 * they use travel in one chunk (kube-common). Left to the per-group chunks, a Deployment
 * pulled in the shared schemas of five unrelated API groups: 2.2 MB in 11 files.
 */
const COMMON_KINDS = [
  'kubernetes-models/apps/v1/DaemonSet',
  'kubernetes-models/apps/v1/Deployment',
  'kubernetes-models/apps/v1/StatefulSet',
  'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
  'kubernetes-models/batch/v1/CronJob',
  'kubernetes-models/batch/v1/Job',
  'kubernetes-models/networking.k8s.io/v1/Ingress',
  'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
  'kubernetes-models/v1/ConfigMap',
  'kubernetes-models/v1/Namespace',
  'kubernetes-models/v1/PersistentVolume',
  'kubernetes-models/v1/PersistentVolumeClaim',
  'kubernetes-models/v1/Pod',
  'kubernetes-models/v1/ReplicationController',
  'kubernetes-models/v1/Secret',
  'kubernetes-models/v1/Service',
];
/** The files (relative to kubernetes-models) the common kinds' modules import, transitively. */
async function commonModelFiles() {
  const files = new Set();
  const visit = async (relative) => {
    if (files.has(relative)) return;
    files.add(relative);
    const code = await readFile(path.join(modelsDir, relative), 'utf8');
    for (const [, target] of code.matchAll(/from\s*"(\.{1,2}\/[^"]+)"/g)) {
      await visit(path.posix.normalize(path.posix.join(path.posix.dirname(relative), target)));
    }
  };
  for (const kind of COMMON_KINDS) {
    if (!specifiers.includes(kind)) throw new Error(`${kind} is not a kind kubernetes-models has: fix COMMON_KINDS`);
    await visit(`${kind.slice('kubernetes-models/'.length)}.js`);
  }
  return files;
}
const commonFiles = await commonModelFiles();
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
})();
const version = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')).version;

/** Source module (path under the repository) -> the module the bundle uses instead. */
const replacements = {
  // A computed import(): a table of every API group and version's import instead,
  // one chunk each (see kubeModelChunk); the kind is picked from what it exports.
  // A common kind by its own module (its group's index imports every kind of the
  // group); the others by their group's index, one chunk per group and version.
  'packages/manifests/src/validate/import-kube-model.ts': [
    'const common = {',
    ...COMMON_KINDS.map((s) => `  ${JSON.stringify(s)}: () => import(${JSON.stringify(s)}),`),
    '};',
    'const groups = {',
    ...groupVersions.map((g) => `  ${JSON.stringify(g)}: () => import(${JSON.stringify(g)}),`),
    '};',
    'export async function importKubeModel(specifier) {',
    '  if (Object.hasOwn(common, specifier)) return common[specifier]();',
    "  const at = specifier.lastIndexOf('/');",
    '  const group = specifier.slice(0, at);',
    "  if (!Object.hasOwn(groups, group)) throw new Error('no model for ' + specifier);",
    '  const kind = specifier.slice(at + 1);',
    '  const module = await groups[group]();',
    "  if (!Object.hasOwn(module, kind)) throw new Error('no model for ' + specifier);",
    '  return { [kind]: module[kind] };',
    '}',
  ].join('\n'),
  // createRequire(import.meta.url)('ajv'): a require() the bundler sees, still called on first use.
  'packages/core/src/config/require-ajv.ts': "export function requireAjv() {\n  return require('ajv');\n}\n",
  // The manifests folder, next to dist/ in the package.
  'packages/manifests/src/manifests-dir.ts':
    "import { fileURLToPath } from 'node:url';\nexport const QED_MANIFESTS_DIR = fileURLToPath(new URL('../assets/manifests/', import.meta.url));\n",
};

/** Whether a module is one of the common kinds' models or schemas (kube-common). */
function isCommonModel(moduleId) {
  const file = moduleId.split(path.sep).join('/');
  const at = file.lastIndexOf('/kubernetes-models/');
  return at !== -1 && commonFiles.has(file.slice(at + '/kubernetes-models/'.length));
}

/**
 * Other kinds by group and version
 * (kubernetes-models/apps/v1beta2/Deployment.js -> kube-apps-v1beta2), their schemas
 * likewise (_schemas/IoK8sApiAppsV1beta2Deployment.js -> kube-schemas-IoK8sApiAppsV1beta2).
 */
function kubeModelChunk(moduleId) {
  const file = moduleId.split(path.sep).join('/');
  const at = file.lastIndexOf('/kubernetes-models/');
  if (at === -1) return null;
  const inside = file.slice(at + '/kubernetes-models/'.length);
  const schema = /^_schemas\/(IoK8s.*?V\d+(?:alpha\d+|beta\d+)?)(?=[A-Z])/.exec(inside);
  if (schema) return `kube-schemas-${schema[1]}`;
  const model = /^((?:[a-z0-9.-]+\/)?v\d\w*)\/[A-Z]\w*\.js$/.exec(inside);
  return model ? `kube-${model[1].replaceAll('/', '-')}` : 'kube-models-shared';
}

const replaceSources = {
  name: 'qed-replace-unbundleable',
  load(id) {
    const relative = path.relative(root, id).split(path.sep).join('/');
    return Object.hasOwn(replacements, relative) ? { code: replacements[relative], moduleType: 'js' } : null;
  },
};

/**
 * The built-ins commander imports, without their ESM namespaces. An ESM import of
 * `node:fs`, `node:process` or `node:util` builds the module's namespace, which
 * reads every export, and Node's lazy ones (fs.promises, process.report, util's
 * diff …) load dozens of internal modules; `node:child_process` loads the network
 * stack. Commander only needs them to run external subcommands (which we have
 * none of) and to strip colours from help: here it gets the modules themselves
 * (process.getBuiltinModule, no namespace), fs and child_process on first use.
 * `--help` loads about 60 fewer internal modules.
 */
const COMMANDER_BUILTIN = '\0qed-commander-builtin:';
const commanderBuiltins = {
  name: 'qed-commander-builtins',
  resolveId(source, importer) {
    if (!importer || !/[\\/]node_modules[\\/]commander[\\/]/.test(importer)) return null;
    const name = source.startsWith('node:') ? source.slice(5) : source;
    return builtinModules.includes(name) ? { id: `${COMMANDER_BUILTIN}${name}`, moduleSideEffects: false } : null;
  },
  load(id) {
    if (!id.startsWith(COMMANDER_BUILTIN)) return null;
    const name = id.slice(COMMANDER_BUILTIN.length);
    const get = `() => process.getBuiltinModule(${JSON.stringify(`node:${name}`)})`;
    const code = {
      events: `const m = (${get})();\nexport default m;\nexport const EventEmitter = m.EventEmitter;`,
      path: `export default (${get})();`,
      process: 'export default globalThis.process;',
      util: `export const stripVTControlCharacters = (text) => (${get})().stripVTControlCharacters(text);`,
    }[name] ?? `const load = ${get};\nexport default new Proxy({}, { get: (_, key) => load()[key] });`;
    return { code, moduleType: 'js' };
  },
};

await rm(dist, { recursive: true, force: true });
await build({
  input: { main: path.join(root, 'packages/cli/src/main.ts') },
  platform: 'node',
  // The workspace packages from their TypeScript sources, as the tests import them.
  resolve: {
    conditionNames: ['@qed/source', 'node', 'import', 'default'],
    // ajv-formats-draft2019 asks for `punycode`, which Node serves from its deprecated
    // built-in (a warning on every run); the userland package it depends on is the same code.
    alias: { punycode: require.resolve('punycode/') },
  },
  // Node's built-ins stay imports, except those commander asks for (commanderBuiltins).
  external: (id, importer) => {
    const name = id.startsWith('node:') ? id.slice(5) : id;
    return name !== 'punycode' && builtinModules.includes(name) && !(importer && /[\\/]node_modules[\\/]commander[\\/]/.test(importer));
  },
  plugins: [replaceSources, commanderBuiltins],
  transform: {
    define: { __QED_BUILD_INFO__: JSON.stringify({ version, commit }) },
  },
  logLevel: 'warn',
  output: {
    dir: dist,
    format: 'esm',
    entryFileNames: '[name].js',
    // Every chunk beside the entry: the manifests module finds ../assets from any of them.
    chunkFileNames: '[name]-[hash].js',
    minify: true,
    // The common kinds and all they use in one chunk (kube-common); the other kinds of one
    // API group and version together: validating a Deployment loads one chunk of models,
    // not 900 files, and the package stays a few hundred files for npm to unpack.
    codeSplitting: {
      groups: [
        // The validators' own runtime, which every kind's chunk needs: a chunk of its own,
        // or the bundler puts it into whichever kind's chunk it meets first.
        { name: 'kube-validate', test: /[\\/]node_modules[\\/](?:@kubernetes-models[\\/]|ajv|ajv-formats[^\\/]*|fast-uri|punycode|uri-js)[\\/]/, priority: 2 },
        { name: 'kube-common', test: isCommonModel, priority: 3 },
        { name: kubeModelChunk, debugName: 'kubernetes-models', priority: 1 },
      ],
    },
  },
});

// The root help as the bundle's commander prints it into a pipe (80 columns, no colour),
// for the bin to answer `--help` without building the program; src/root-help.test.ts
// holds it to what commander prints from the sources.
const { FORCE_COLOR, CLICOLOR_FORCE, NO_COLOR, ...plainEnv } = process.env;
const rootHelp = execFileSync(process.execPath, [path.join(dist, 'main.js'), '--help'], { env: plainEnv, encoding: 'utf8' });
await writeFile(path.join(dist, 'root-help.txt'), rootHelp);

await mkdir(path.join(packageDir, 'assets'), { recursive: true });
await rm(path.join(packageDir, 'assets/manifests'), { recursive: true, force: true });
await cp(path.join(root, 'manifests'), path.join(packageDir, 'assets/manifests'), { recursive: true });
const files = await readdir(dist, { recursive: true });
await writeFile(path.join(dist, 'build.json'), `${JSON.stringify({ version, commit, chunks: files.filter((f) => f.endsWith('.js')).length, kubeModels: specifiers.length }, null, 2)}\n`);
process.stdout.write(`bundled qed-bootstrap ${version} (${commit ?? 'no commit'}): ${files.filter((f) => f.endsWith('.js')).length} chunks, ${specifiers.length} kube models\n`);
