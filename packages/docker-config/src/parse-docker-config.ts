import { QedError } from '@qed/core';

export type DockerConfigJson = Record<string, unknown>;

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/**
 * JSON.parse with a useful error. V8's own message quotes a piece of the text,
 * which in this file can be a credential: it is never passed on, only the position
 * (mapped to line and column) is.
 */
export function parseDockerConfig(text: string, file: string): DockerConfigJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    const position = /at position (\d+)/.exec(message)?.[1];
    const offset =
      position !== undefined ? Number(position) : /end of JSON input/i.test(message) ? text.length : null;
    const at = offset === null ? null : lineAndColumn(text, offset);
    throw new QedError(
      'DOCKER_CONFIG_MALFORMED',
      `${file} is not valid JSON${at ? ` (line ${at.line}, column ${at.column})` : ''}`,
      {
        hint: `Fix the JSON by hand at that position (Docker cannot read this file either); nothing was changed.`,
        data: { file, ...(at ?? {}) },
      },
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new QedError('DOCKER_CONFIG_MALFORMED', `${file} does not hold a JSON object`, {
      hint: 'Docker expects an object such as {"auths": {}}; nothing was changed.',
      data: { file },
    });
  }
  return value as DockerConfigJson;
}

/** The indentation the file uses, so a rewrite changes only what it must. Docker writes tabs. */
export function detectIndent(text: string): string {
  const match = /^[{[][^\n]*\n([ \t]+)\S/.exec(text);
  return match?.[1] ?? '\t';
}

export function serializeDockerConfig(config: DockerConfigJson, original: string): string {
  const trailing = original.endsWith('\n') ? '\n' : '';
  return `${JSON.stringify(config, null, detectIndent(original))}${trailing}`;
}
