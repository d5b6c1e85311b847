import path from 'node:path';
import { checkWrittenText, type ManifestProblem } from '@qed/manifests/checks';
import { type ConvertedFile, convertedFileText } from './output-files.js';

export interface ConvertedCheck {
  /** What the API server would refuse, at the file and line convert writes. */
  problems: ManifestProblem[];
  /** Accepted, but will not run as meant (a claim none of the files creates). */
  warnings: ManifestProblem[];
}

/**
 * The converted files checked before any is written, by the same checks `manifests
 * validate`, `render` and `migrate` make (the schema and the references between
 * fields and objects). The text is formatted and read back, so what is checked is
 * what kubectl will read from the files in `dir`.
 */
export async function checkConvertedFiles(files: readonly ConvertedFile[], dir: string): Promise<ConvertedCheck> {
  const { problems, warnings } = await checkWrittenText(files.map((file) => ({ file: path.join(dir, file.name), text: convertedFileText(file) })));
  return { problems, warnings };
}
