import { describe, expect, it } from 'vitest';
import { isQedError, type QedError } from '../errors/qed-error.js';
import { type FileAction, fileAccessError } from './file-access-error.js';

const errno = (code: string, message = `${code}: something`) => Object.assign(new Error(message), { code });

describe('fileAccessError', () => {
  it.each<[string, FileAction, string, string]>([
    ['EACCES', 'create', 'cannot create /p/.qed/bootstrap.lock: permission denied', 'sudo chown -R "$(id -un)" /p/.qed'],
    ['EPERM', 'remove', 'cannot remove /p/.qed/bootstrap.lock: permission denied', 'sudo chown -R'],
    ['EROFS', 'create', 'cannot create /p/.qed/bootstrap.lock: the file system is read-only', 'a folder on a writable disk'],
    ['ENOSPC', 'write', 'cannot write /p/.qed/bootstrap.lock: no space left on the disk', 'df -h /p/.qed'],
    ['EISDIR', 'read', 'cannot read /p/.qed/bootstrap.lock: it is a folder, where a file belongs', 'mv /p/.qed/bootstrap.lock /p/.qed/bootstrap.lock.old'],
    ['ENOTDIR', 'read', 'cannot read /p/.qed/bootstrap.lock: a part of its path is a file, where a folder belongs', 'Move the file that stands in the path of /p/.qed away'],
    ['EEXIST', 'create the folder', 'cannot create the folder /p/.qed/bootstrap.lock: a file stands where a folder belongs', 'Move the file'],
    ['EMFILE', 'read', 'cannot read /p/.qed/bootstrap.lock: too many files are open', 'ulimit -n'],
    ['EIO', 'read', 'cannot read /p/.qed/bootstrap.lock: EIO: something', 'Check /p/.qed/bootstrap.lock and its folder'],
  ])('%s on %s: FILE_ACCESS_FAILED, the file, why, and what to do', (code, action, message, hint) => {
    const cause = errno(code);
    const error = fileAccessError(cause, '/p/.qed/bootstrap.lock', action) as QedError;
    expect(isQedError(error, 'FILE_ACCESS_FAILED')).toBe(true);
    expect(error.message).toBe(message);
    if (process.platform !== 'win32' || !code.startsWith('EAC')) expect(error.hint).toContain(hint);
    expect(error.hint).toMatch(/run the command again\.$/);
    expect(error.data).toEqual({ file: '/p/.qed/bootstrap.lock', errno: code, action });
    expect(error.cause).toBe(cause);
  });

  it('returns what is not a file system error as it is: that would be a bug, and must say so', () => {
    const bug = new TypeError('x is undefined');
    expect(fileAccessError(bug, '/p/f', 'read')).toBe(bug);
    expect(fileAccessError('text', '/p/f', 'read')).toBe('text');
  });
});
