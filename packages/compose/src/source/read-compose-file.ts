import { readFile } from 'node:fs/promises';
import { QedError } from '@qed/core';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import { COMPOSE_DOCS, type ComposeProblem, composeInvalid, formatKeyPath, type KeyPath, type Location } from './compose-problem.js';

/**
 * One compose file as read: its plain value, and a way back from any key path to
 * the line and column it was written at, so every later message can point there.
 */
export interface ComposeSource {
  file: string;
  value: unknown;
  /** Where the value at `path` starts; the nearest enclosing node when the path is absent. */
  locate(path: KeyPath): Location;
  /** Where the key itself (not its value) is written, for "unknown key" messages. */
  locateKey(path: KeyPath): Location;
  /**
   * The scalar at `path` as written in the file, before YAML typed it: `0440` reads as
   * the number 440 in YAML 1.2, where docker compose reads an octal file mode.
   */
  scalarText(path: KeyPath): string | undefined;
}

export async function readComposeFile(file: string): Promise<ComposeSource> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new QedError('COMPOSE_NOT_FOUND', `cannot read compose file ${file}${code ? ` (${code})` : ''}`, {
      hint: code === 'ENOENT' ? 'Check the path given to -f.' : 'Check the file permissions.',
      cause: error,
      docsUrl: COMPOSE_DOCS,
    });
  }
  return parseComposeText(text, file);
}

/** Parses compose YAML; broken YAML (and duplicate keys) is COMPOSE_INVALID naming line and column. */
export function parseComposeText(text: string, file: string): ComposeSource {
  const lineCounter = new LineCounter();
  // Compose files are YAML 1.1 in spirit (docker compose reads them with a 1.2 parser
  // but quotes matter the same way); merge keys (<<) are used in the wild.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const at = (offset: number): Location => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  const problems: ComposeProblem[] = doc.errors.map((error) => ({
    ...at(error.pos[0]),
    key: keyPathAt(doc.contents, error.pos[0]),
    message: (error.message.split('\n')[0] ?? 'invalid YAML').replace(/ at line \d+, column \d+:?$/, ''),
  }));
  // An alias (*name) whose anchor (&name) is not written before it: the parser accepts it, reading the value would throw.
  visit(doc, {
    Alias: (_key, alias) => {
      if (alias.resolve(doc)) return;
      const offset = alias.range?.[0] ?? 0;
      problems.push({ ...at(offset), key: keyPathAt(doc.contents, offset), message: `alias *${alias.source} names no anchor &${alias.source} written before it` });
    },
  });
  if (problems.length > 0) throw composeInvalid(problems);

  const plainValue = (): unknown => {
    try {
      return doc.toJS({ maxAliasCount: 1000 }) ?? null;
    } catch (error) {
      // Aliases of aliases past the limit (a "billion laughs" file): refused, located at the file.
      if (!(error instanceof ReferenceError)) throw error;
      throw composeInvalid([{ file, line: 1, column: 1, key: '', message: error.message }]);
    }
  };
  const nodeAt = (path: KeyPath): { node: Node | null; key: Node | null } => {
    let node: unknown = doc.contents;
    let key: Node | null = null;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) return { node: node as Node, key };
        key = isScalar(pair.key) ? pair.key : key;
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined || item === null) return { node: node as Node, key };
        node = isPair(item) ? item.key : item;
      } else {
        break;
      }
    }
    return { node: (node as Node | null) ?? null, key };
  };
  return {
    file,
    value: plainValue(),
    locate: (path) => at(nodeAt(path).node?.range?.[0] ?? 0),
    locateKey: (path) => {
      const found = nodeAt(path);
      return at((found.key ?? found.node)?.range?.[0] ?? 0);
    },
    scalarText: (path) => {
      const { node } = nodeAt(path);
      return isScalar(node) ? node.source : undefined;
    },
  };
}

/** The key path of the deepest node containing `offset`, to name where broken YAML is. */
function keyPathAt(root: unknown, offset: number): string {
  const segments: Array<string | number> = [];
  let node = root;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((item) => {
        const start = (item.key as Node | null)?.range?.[0] ?? Number.POSITIVE_INFINITY;
        const end = (item.value as Node | null)?.range?.[1] ?? (item.key as Node | null)?.range?.[1] ?? -1;
        return start <= offset && offset <= end;
      });
      if (!pair || !isScalar(pair.key)) break;
      segments.push(String(pair.key.value));
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => {
        const range = (item as Node | null)?.range;
        return range !== undefined && range !== null && range[0] <= offset && offset <= range[1];
      });
      if (index < 0) break;
      segments.push(index);
      node = node.items[index];
    } else {
      break;
    }
  }
  return formatKeyPath(segments);
}
