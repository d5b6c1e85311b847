import type { KubeObject, SourcedObject } from '../kube-object.js';
import { type ManifestProblem, parseManifestText } from '../load-manifests.js';
import { type OfflineResult, validateOffline } from './validate-offline.js';

/** A file as it will be written. */
export interface WrittenText {
  file: string;
  text: string;
  /**
   * The objects the text was written from, one per document in order, when the
   * writer has them (convert): they are checked as they are, and the text is read
   * only to locate a finding. Without them the text is read back and checked.
   */
  objects?: readonly KubeObject[];
}

export interface WrittenTextCheck {
  /** The objects checked (as they read back from the text, or as the caller gave them), located in the text. */
  objects: SourcedObject[];
  /** The YAML that does not read back (never expected from our own writer), then the schema's and references' problems. */
  problems: ManifestProblem[];
  warnings: ManifestProblem[];
  /** The offline result, for a caller that validates on a server next and must not check twice. */
  offline: OfflineResult;
}

/**
 * What render and convert check before they write: each file's objects checked
 * offline (schema and references), located in the text as it will be written, so
 * a finding names the file and line a reader will see.
 */
export async function checkWrittenText(files: readonly WrittenText[]): Promise<WrittenTextCheck> {
  const problems: ManifestProblem[] = [];
  const objects = files.flatMap((written) => {
    if (written.objects) return locatedOnDemand(written.file, written.text, written.objects);
    const { file, text } = written;
    const parsed = parseManifestText(text, file);
    problems.push(...parsed.problems);
    return parsed.objects;
  });
  const offline = await validateOffline(objects);
  return { objects, problems: [...problems, ...offline.problems], warnings: offline.warnings, offline };
}

/**
 * Objects a text was written from, whose lines are found by reading the text back
 * the first time a finding asks for one. Reading YAML with its locations costs as
 * much as writing it, and a clean check (the usual one) never needs a line.
 */
function locatedOnDemand(file: string, text: string, objects: readonly KubeObject[]): SourcedObject[] {
  let readBack: SourcedObject[] | undefined;
  const sourceOf = (documentIndex: number) => {
    readBack ??= parseManifestText(text, file).objects;
    return readBack.find((o) => o.source.documentIndex === documentIndex)?.source;
  };
  return objects.map((object, documentIndex) => ({
    object,
    source: {
      file,
      documentIndex,
      get line() {
        return sourceOf(documentIndex)?.line ?? 1;
      },
      lineOf: (field) => sourceOf(documentIndex)?.lineOf(field) ?? 1,
    },
  }));
}
