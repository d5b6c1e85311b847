import { type FSWatcher, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';

/** A file of a build context that was saved (or deleted) since the last batch. */
export interface ContextChange {
  /** Relative to the context, '/'-separated. */
  file: string;
  deleted: boolean;
}

export interface ContextWatcherOptions {
  /** Whether docker would send the file (.dockerignore); others are not watched for. */
  include: (relative: string) => boolean;
  /** A batch is handed over once the context has been quiet this long. Default 100 ms. */
  quietMs?: number;
  /** `firstSeenAt` is when the first change of the batch was seen (now()): the save the cycle is timed from. */
  onBatch: (changes: ContextChange[], firstSeenAt: number) => void;
  onError: (error: Error) => void;
  now?: () => number;
}

/**
 * Names editors write beside the file they save, and version-control folders:
 * never a change to the image. vim (`.x.swp`, `x~`, its `4913` probe), emacs
 * (`.#x`, `#x#`), JetBrains (`x___jb_tmp___`), macOS (`.DS_Store`), `*.tmp`.
 */
const EDITOR_LITTER = /(^|\/)(\.git|\.hg|\.svn)(\/|$)|(^|\/)(\.[^/]*\.sw[a-px]|[^/]*~|4913|\.#[^/]*|#[^/]*#|\.DS_Store|[^/]*___jb_(tmp|old)___|[^/]*\.tmp)$/;

export function isEditorLitter(relative: string): boolean {
  return EDITOR_LITTER.test(relative);
}

/**
 * Watches a build context (recursively, as the OS reports it) and hands over the
 * files saved in it in batches: everything saved until the folder has been quiet
 * for `quietMs`, each file once, marked deleted when it is gone by then. An editor
 * that saves through a temporary file and a rename is seen as one save.
 */
export function watchContext(context: string, options: ContextWatcherOptions): { close(): void } {
  const quietMs = options.quietMs ?? 100;
  const now = options.now ?? (() => performance.now());
  const pending = new Set<string>();
  let firstSeenAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const flush = async () => {
    timer = undefined;
    const files = [...pending].sort();
    const seenAt = firstSeenAt;
    pending.clear();
    const changes: ContextChange[] = [];
    for (const file of files) {
      const found = await stat(path.join(context, file)).catch(() => null);
      // A folder's own event says nothing its files do not.
      if (found?.isDirectory()) continue;
      changes.push({ file, deleted: found === null });
    }
    if (!closed && changes.length > 0) options.onBatch(changes, seenAt);
  };

  let watcher: FSWatcher;
  try {
    watcher = watch(context, { recursive: true }, (_event, name) => {
      if (closed || name === null) return;
      const file = name.toString().split(path.sep).join('/');
      if (isEditorLitter(file) || !options.include(file)) return;
      if (pending.size === 0) firstSeenAt = now();
      pending.add(file);
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void flush().catch((error: Error) => options.onError(error)), quietMs);
    });
  } catch (error) {
    throw Object.assign(new Error(`cannot watch ${context}: ${(error as Error).message}`), { cause: error });
  }
  watcher.on('error', (error) => options.onError(error));
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}
