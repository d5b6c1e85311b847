import path from 'node:path';
import { QedError } from '../errors/qed-error.js';
import { shellQuote } from '../runner/command-runner.js';

/** What was being done to the file, as the message says it: "cannot create …/bootstrap.lock". */
export type FileAction = 'read' | 'write' | 'create' | 'remove' | 'create the folder';

/**
 * A file operation the machine refused (no permission, a read-only or full disk, a
 * folder where a file belongs …) as FILE_ACCESS_FAILED: the file, what stood in the
 * way and what to do about it. These are the user's to fix, not bugs, so they must
 * not reach the top as a bare Node error ("unexpected internal error"). Anything
 * that is not an error from the file system (no errno code) is returned as it is.
 */
export function fileAccessError(error: unknown, file: string, action: FileAction): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !code.startsWith('E')) return error;
  const dir = path.dirname(file);
  const { reason, hint } = explain(code, file, dir, action, error as Error);
  return new QedError('FILE_ACCESS_FAILED', `cannot ${action} ${file}: ${reason}`, {
    hint,
    cause: error,
    data: { file, errno: code, action },
  });
}

function explain(code: string, file: string, dir: string, action: FileAction, error: Error): { reason: string; hint: string } {
  const again = 'then run the command again';
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return {
        reason: 'permission denied',
        hint:
          process.platform === 'win32'
            ? `Check in the Properties of ${dir} (Security) that your account may change it; ${again}.`
            : `${dir} or what is in it belongs to another user (often after a run with sudo): make it yours (\`sudo chown -R "$(id -un)" ${shellQuote(dir)}\`), ${again}.`,
      };
    case 'EROFS':
      return { reason: 'the file system is read-only', hint: `Run it in a folder on a writable disk (a copy of the project, or a mount without \`ro\`); ${again}.` };
    case 'ENOSPC':
      return { reason: 'no space left on the disk', hint: `Free some space on the disk that holds ${dir} (\`df -h ${shellQuote(dir)}\`), ${again}.` };
    case 'EDQUOT':
      return { reason: 'your disk quota is used up', hint: `Free some of your space on the disk that holds ${dir}, ${again}.` };
    case 'EISDIR':
      return { reason: 'it is a folder, where a file belongs', hint: `Move that folder away (\`mv ${shellQuote(file)} ${shellQuote(`${file}.old`)}\`), ${again}.` };
    case 'ENOTDIR':
    case 'EEXIST':
      return {
        reason: action === 'create the folder' ? 'a file stands where a folder belongs' : 'a part of its path is a file, where a folder belongs',
        hint: `Move the file that stands in the path of ${action === 'create the folder' ? file : dir} away, ${again}.`,
      };
    case 'ENOENT':
      return action === 'read'
        ? { reason: 'it does not exist', hint: `Check the path, ${again}.` }
        : { reason: 'its folder does not exist', hint: `Create the folder (\`mkdir -p ${shellQuote(dir)}\`), ${again}.` };
    case 'EMFILE':
    case 'ENFILE':
      return { reason: 'too many files are open', hint: `Close other programs, or raise the limit of open files (\`ulimit -n\`), ${again}.` };
    default:
      return { reason: `${error.message}`, hint: `Check ${file} and its folder, ${again}.` };
  }
}
