import path from 'node:path';
import { checkWrittenText, type ManifestProblem } from '@qed/manifests/checks';
import { renderChart } from './chart.js';
import type { ConvertedFile } from './output-files.js';

export interface ConvertedCheck {
  /** What the API server would refuse, at the file and line convert writes. */
  problems: ManifestProblem[];
  /** Accepted, but will not run as meant (a claim none of the files creates). */
  warnings: ManifestProblem[];
}

/**
 * The converted files checked before any is written, by the same checks `manifests
 * validate`, `render` and `migrate` make (the schema and the references between
 * fields and objects), each finding at its line in the text as it will be written
 * in `dir` (YAML or JSON). A manifest is checked as the objects it is written
 * from (formatKubeYaml and JSON read back as the same objects); a chart's
 * templates as Helm renders them with the chart's values.yaml.
 */
export async function checkConvertedFiles(files: readonly ConvertedFile[], dir: string): Promise<ConvertedCheck> {
  const chart = files.some((f) => f.role !== 'manifest') ? renderChart(files) : { rendered: [], problems: [] };
  const manifests = [...files.filter((f) => f.role === 'manifest'), ...chart.rendered];
  const { problems, warnings } = await checkWrittenText(
    manifests.map((file) => ({ file: path.join(dir, file.name), text: file.text, ...(file.objects ? { objects: file.objects } : {}) })),
  );
  return { problems: [...chart.problems.map((p) => ({ file: path.join(dir, p.file), line: 1, column: 1, message: p.message })), ...problems], warnings };
}
