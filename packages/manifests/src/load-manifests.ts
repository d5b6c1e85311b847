import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { QedError } from '@qed/core';
import { type Document, LineCounter, parseAllDocuments } from 'yaml';
import type { KubeObject, SourcedObject } from './kube-object.js';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** One problem in a manifest file, located for the user. */
export interface ManifestProblem {
  file: string;
  line: number;
  column: number;
  /** The object ("Deployment qed/django") when known. */
  object?: string;
  /** Dotted field path when known. */
  field?: string;
  message: string;
}

export function manifestsInvalid(
  problems: ManifestProblem[],
  what = 'manifests',
  hint = 'Fix the files named above; nothing was applied.',
): QedError {
  const lines = problems.map(formatProblem);
  return new QedError(
    'MANIFESTS_INVALID',
    problems.length === 1 ? `invalid ${what}: ${lines[0]}` : `${problems.length} problems in the ${what}:\n  ${lines.join('\n  ')}`,
    { hint, data: { problems } },
  );
}

export function formatProblem(p: ManifestProblem): string {
  const where = `${p.file}:${p.line}:${p.column}`;
  const what = [p.object, p.field].filter(Boolean).join(' ');
  return `${where}${what ? ` ${what}` : ''}: ${p.message}`;
}

/** Every manifest file named, directories expanded (sorted, not recursive into dot-folders). */
export async function listManifestFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => null);
    if (!info) {
      throw new QedError('MANIFESTS_NOT_FOUND', `no such file or directory: ${p}`, { hint: 'Check the path; render writes manifests with `qed-bootstrap manifests render --out DIR`.' });
    }
    if (info.isDirectory()) {
      const entries = (await readdir(p, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
      const nested = entries
        .filter((e) => !e.name.startsWith('.'))
        .map((e) => path.join(p, e.name))
        .filter((f, i) => entries[i]?.isDirectory() || MANIFEST_EXTENSIONS.has(path.extname(f)));
      files.push(...(await listManifestFiles(nested)));
    } else files.push(p);
  }
  return files;
}

/**
 * Reads manifest files into objects that remember where they came from. All files
 * are read before anything is reported, and every YAML error in every file is
 * reported at once (MANIFESTS_INVALID naming file, line and column).
 */
export async function loadManifests(paths: readonly string[]): Promise<SourcedObject[]> {
  const files = await listManifestFiles(paths);
  const objects: SourcedObject[] = [];
  const problems: ManifestProblem[] = [];
  for (const file of files) {
    const parsed = parseManifestText(await readFile(file, 'utf8'), file);
    objects.push(...parsed.objects);
    problems.push(...parsed.problems);
  }
  if (problems.length > 0) throw manifestsInvalid(problems);
  return objects;
}

/** Parses one file's text; YAML and shape problems are returned, not thrown. */
export function parseManifestText(text: string, file: string): { objects: SourcedObject[]; problems: ManifestProblem[] } {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const docs = Array.isArray(documents) ? documents : [];
  const objects: SourcedObject[] = [];
  const problems: ManifestProblem[] = [];
  docs.forEach((doc, documentIndex) => {
    // The first line of content, not the `---` marker before it.
    const startOffset = (doc.contents as { range?: [number, number, number] } | null)?.range?.[0] ?? doc.range?.[0] ?? 0;
    const docLine = lineCounter.linePos(startOffset).line;
    for (const error of doc.errors) {
      const pos = lineCounter.linePos(error.pos[0]);
      problems.push({ file, line: pos.line, column: pos.col, message: error.message.split('\n')[0] ?? 'invalid YAML' });
    }
    if (doc.errors.length > 0) return;
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return; // an empty document (e.g. a trailing ---)
    const lineOf = (fieldPath: ReadonlyArray<string | number>) => nodeLine(doc, lineCounter, fieldPath) ?? docLine;
    const shape = checkObjectShape(value);
    if (shape) {
      const [field, message] = shape;
      problems.push({ file, line: lineOf(field), column: 1, field: field.join('.'), message });
      return;
    }
    objects.push({ object: value as KubeObject, source: { file, documentIndex, line: docLine, lineOf } });
  });
  return { objects, problems };
}

/** What every object needs before the schema can even be chosen. */
function checkObjectShape(value: unknown): [Array<string | number>, string] | null {
  if (typeof value !== 'object' || Array.isArray(value)) return [[], 'a manifest document must be a mapping (a Kubernetes object)'];
  const object = value as Record<string, unknown>;
  if (typeof object.apiVersion !== 'string' || object.apiVersion === '') return [['apiVersion'], 'missing apiVersion'];
  if (typeof object.kind !== 'string' || object.kind === '') return [['kind'], 'missing kind'];
  const metadata = object.metadata as Record<string, unknown> | undefined;
  if (typeof metadata !== 'object' || metadata === null) return [['metadata'], 'missing metadata'];
  if (typeof metadata.name !== 'string' || metadata.name === '') return [['metadata', 'name'], 'missing metadata.name'];
  return null;
}

function nodeLine(doc: Document, lineCounter: LineCounter, fieldPath: ReadonlyArray<string | number>): number | null {
  for (let depth = fieldPath.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(fieldPath.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return lineCounter.linePos(range[0]).line;
  }
  return null;
}
