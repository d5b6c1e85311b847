import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * What Windows' CreateProcess starts (.com, .exe), and the batch files it cannot,
 * which go through cmd.exe (windows-command-line.ts). A PATHEXT entry such as
 * .js or .vbs needs a host program: such a file is passed over, as if absent.
 */
const WINDOWS_LAUNCHABLE = new Set(['.com', '.exe', '.bat', '.cmd']);
const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';

export interface ResolveProgramOptions {
  platform: NodeJS.Platform;
  /** The PATH the program is looked up in: the one its process gets, not necessarily ours. */
  searchPath: string;
  /** Windows: PATHEXT, the extensions tried for a name without one, in order. */
  pathExt?: string;
  /** For a command given as a path (it holds a separator): what it is relative to. */
  cwd: string;
}

/**
 * The file a command name starts, found as a shell would find it, so the program
 * can be spawned without one: the first PATH folder holding an executable file of
 * that name (POSIX), or of that name plus a PATHEXT extension (Windows). A name
 * with a separator is a path and is not searched for. The current folder is never
 * searched (Windows' cmd.exe would look there first: a checkout's own `docker.cmd`
 * must not shadow the real one). null when there is none.
 */
export async function resolveProgram(command: string, options: ResolveProgramOptions): Promise<string | null> {
  const windows = options.platform === 'win32';
  const names = windows ? windowsCandidates(command, options.pathExt) : [command];
  const isPath = windows ? /[\\/]/.test(command) : command.includes('/');
  const folders = isPath ? [options.cwd] : searchFolders(options.searchPath, windows);
  for (const folder of folders) {
    for (const name of names) {
      const candidate = path.resolve(folder, name);
      if (await isExecutableFile(candidate, windows)) return candidate;
    }
  }
  return null;
}

/** Windows runs a .bat or .cmd file through cmd.exe only. */
export function isBatchFile(file: string): boolean {
  return /\.(bat|cmd)$/i.test(file);
}

function searchFolders(searchPath: string, windows: boolean): string[] {
  return (
    searchPath
      .split(windows ? ';' : ':')
      // Windows allows a quoted entry ("C:\Program Files\Docker\bin"); an empty one means the current folder.
      .map((entry) => (windows ? entry.replace(/^"(.*)"$/, '$1') : entry))
      .filter((entry) => entry !== '')
  );
}

function windowsCandidates(command: string, pathExt = DEFAULT_PATHEXT): string[] {
  const extensions = pathExt
    .split(';')
    .map((ext) => ext.trim().toLowerCase())
    .filter((ext) => WINDOWS_LAUNCHABLE.has(ext));
  // `powershell.exe` names its file; `npm` is npm.cmd, never the extensionless sh script beside it.
  const named = WINDOWS_LAUNCHABLE.has(path.extname(command).toLowerCase()) ? [command] : [];
  return [...named, ...extensions.map((ext) => `${command}${ext}`)];
}

async function isExecutableFile(file: string, windows: boolean): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    if (!windows) await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
