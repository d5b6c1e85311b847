import { formatKubeYaml } from '@qed/core';
import type { KubeObject } from '@qed/manifests/kube-object';
import { parse } from 'yaml';
import { CONVERTED_HEADER, type ConvertedFile } from './output-files.js';

type Fields = Record<string, unknown>;

/** The only template expressions a chart of ours holds: a value, and a literal `{{` from the compose file. */
const EXPRESSION = /\{\{ \.Values\.([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*) \}\}|\{\{`\{\{`\}\}/g;
const LITERAL_BRACES = '{{`{{`}}';

export interface ChartOptions {
  /** The chart's name: its folder's, made a valid chart name. */
  name: string;
  /** The compose project, for the description. */
  project: string;
}

/**
 * The objects as a Helm chart: Chart.yaml, values.yaml holding each container's
 * image (repository and tag, or digest) and each workload's replicas, and one
 * template per object reading them (`{{ .Values.web.image.tag }}`). Everything else
 * is written literally; a `{{` from the compose file is escaped so Helm prints it.
 */
export function chartFiles(objects: readonly KubeObject[], options: ChartOptions): ConvertedFile[] {
  const values: Record<string, Fields> = {};
  const keys = new ValueKeys();
  const templates = objects.map((object): ConvertedFile => {
    const placeholders = new Map<string, string>();
    const templated = escapeBraces(structuredClone(object)) as KubeObject;
    const spec = templated.spec as Fields | undefined;
    const workload = keys.of(object.metadata.name);
    if (spec && typeof spec.replicas === 'number' && ['Deployment', 'StatefulSet', 'ReplicationController'].includes(object.kind)) {
      section(values, workload).replicas = spec.replicas;
      spec.replicas = placeholder(placeholders, `{{ .Values.${workload}.replicas }}`);
    }
    for (const container of containersOf(templated)) {
      if (typeof container.image !== 'string' || typeof container.name !== 'string') continue;
      const key = keys.of(container.name);
      const image = splitImage(container.image.replaceAll(LITERAL_BRACES, '{{'));
      section(values, key).image = image;
      const reference = 'digest' in image ? `{{ .Values.${key}.image.repository }}@{{ .Values.${key}.image.digest }}` : `{{ .Values.${key}.image.repository }}:{{ .Values.${key}.image.tag }}`;
      container.image = placeholder(placeholders, `"${reference}"`);
    }
    let text = `${CONVERTED_HEADER}\n${formatKubeYaml(templated)}`;
    for (const [token, expression] of placeholders) text = text.replaceAll(token, () => expression);
    return { name: `templates/${object.metadata.name}-${object.kind.toLowerCase()}.yaml`, text, role: 'template', secret: object.kind === 'Secret' };
  });
  const chart = {
    apiVersion: 'v2',
    name: options.name,
    description: `The compose project ${options.project}, converted by qed-bootstrap convert`,
    type: 'application',
    version: '0.1.0',
  };
  return [
    { name: 'Chart.yaml', text: formatKubeYaml(chart), role: 'chart', secret: false },
    { name: 'values.yaml', text: `# Images and replicas of the converted services; the templates read them.\n${formatKubeYaml(values)}`, role: 'chart', secret: false },
    ...templates,
  ];
}

/**
 * The chart's templates rendered with its values.yaml, as `helm template` would for
 * the expressions chartFiles writes; anything else between braces is a problem (it
 * would be ours). The rendered text is what convert's checks read.
 */
export function renderChart(files: readonly ConvertedFile[]): { rendered: ConvertedFile[]; problems: Array<{ file: string; message: string }> } {
  const problems: Array<{ file: string; message: string }> = [];
  const valuesFile = files.find((f) => f.role === 'chart' && f.name === 'values.yaml');
  const values = (valuesFile ? parse(valuesFile.text) : {}) as Fields | null;
  const chart = files.find((f) => f.role === 'chart' && f.name === 'Chart.yaml');
  const meta = (chart ? parse(chart.text) : null) as Fields | null;
  for (const field of ['apiVersion', 'name', 'version']) {
    if (typeof meta?.[field] !== 'string') problems.push({ file: 'Chart.yaml', message: `has no ${field}` });
  }
  const rendered = files
    .filter((f) => f.role === 'template')
    .map((file) => {
      if (file.text.replace(EXPRESSION, '').includes('{{')) problems.push({ file: file.name, message: 'holds a template expression the chart does not define' });
      const text = file.text.replace(EXPRESSION, (literal, valuePath: string | undefined) => {
        if (valuePath === undefined) return '{{';
        const value = valuePath.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Fields)[key] : undefined), values);
        if (value === undefined || (typeof value === 'object' && value !== null)) {
          problems.push({ file: file.name, message: `${literal} names no value in values.yaml` });
          return literal;
        }
        return String(value);
      });
      return { ...file, text, role: 'manifest' as const };
    });
  return { rendered, problems };
}

/** Value keys are Go template field names: the Kubernetes name in camelCase, unique. */
class ValueKeys {
  private readonly byName = new Map<string, string>();
  private readonly taken = new Set<string>();

  of(name: string): string {
    const known = this.byName.get(name);
    if (known) return known;
    const wanted = name.replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_m, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '') || 'unnamed';
    let key = /^[A-Za-z]/.test(wanted) ? wanted : `s${wanted}`;
    for (let n = 2; this.taken.has(key); n++) key = `${wanted}${n}`;
    this.taken.add(key);
    this.byName.set(name, key);
    return key;
  }
}

function section(values: Record<string, Fields>, key: string): Fields {
  values[key] ??= {};
  return values[key];
}

/** A token that YAML writes as a plain scalar, replaced by the expression after formatting. */
function placeholder(placeholders: Map<string, string>, expression: string): string {
  const token = `qed-chart-value-${placeholders.size}-${'x'.repeat(8)}`;
  placeholders.set(token, expression);
  return token;
}

/** Every container of a workload, CronJob, Job or Pod. */
function containersOf(object: KubeObject): Fields[] {
  const spec = object.spec as Fields | undefined;
  const podSpec =
    object.kind === 'Pod'
      ? spec
      : object.kind === 'CronJob'
        ? (((spec?.jobTemplate as Fields | undefined)?.spec as Fields | undefined)?.template as Fields | undefined)?.spec
        : (spec?.template as Fields | undefined)?.spec;
  return ((podSpec as Fields | undefined)?.containers as Fields[] | undefined) ?? [];
}

/** repository and tag (latest when none is written), or repository and digest. */
export function splitImage(image: string): { repository: string; tag: string } | { repository: string; digest: string } {
  const at = image.indexOf('@');
  if (at >= 0) return { repository: image.slice(0, at), digest: image.slice(at + 1) };
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? { repository: image.slice(0, colon), tag: image.slice(colon + 1) } : { repository: image, tag: 'latest' };
}

/** Helm reads `{{` as the start of an expression: every one in a string is escaped to print itself. */
function escapeBraces(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('{{', LITERAL_BRACES);
  if (Array.isArray(value)) return value.map(escapeBraces);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeBraces(v)]));
  return value;
}
