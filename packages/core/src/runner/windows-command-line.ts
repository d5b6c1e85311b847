import { QedError } from '../errors/qed-error.js';

/**
 * How a Windows batch file (npm.cmd, npx.cmd and other shims) is started: Windows
 * cannot start one without cmd.exe (and Node refuses to try since the 2024 fix for
 * CVE-2024-27980), so this is the one case where the runner starts a shell. The
 * command line is written here, whole, and handed to cmd.exe verbatim:
 *
 *   cmd.exe /d /v:off /s /c ""C:\Program Files\nodejs\npm.cmd" ^"install^" ^"a^&b^""
 *
 * - /d skips the AutoRun commands of the registry, /v:off delayed expansion (`!x!`);
 *   /s makes /c strip exactly the outer pair of quotes.
 * - The batch file's path is quoted; a path cannot hold `"`.
 * - Each argument is quoted for the program's own parser (the C runtime's rules:
 *   backslashes before the closing quote doubled), then every character cmd.exe
 *   treats specially, the quotes included, gets a caret: cmd.exe then never enters
 *   a quoted state, so `&`, `|`, `<`, `>`, `(`, `)` are text. A `%` becomes `^%`,
 *   which turns `%PATH%` into a lookup of the undefined `PATH^`, left as it is.
 * - The batch file receives each argument in plain quotes (the carets are gone), so
 *   when it hands them on with `%*`, cmd.exe reads them quoted a second time:
 *   still text. That is why an argument may not contain `"` (it would end the
 *   quoting of that second reading), nor a line break (it ends a command): such
 *   arguments are refused rather than passed on changed.
 */
export function batchFileArguments(batchFile: string, args: readonly string[]): string[] {
  const line = [`"${batchFile}"`, ...args.map((arg) => escapeForCmd(quoteForProgram(refuseUnsafe(arg, batchFile))))].join(' ');
  return ['/d', '/v:off', '/s', '/c', `"${line}"`];
}

function refuseUnsafe(arg: string, batchFile: string): string {
  if (/["\r\n\0]/.test(arg)) {
    throw new QedError(
      'COMMAND_ARGUMENT_REFUSED',
      `${batchFile} is a batch file, which Windows runs through cmd.exe, and cmd.exe cannot hand it the argument ${JSON.stringify(arg)} unchanged (a double quote or a line break)`,
      {
        hint: 'Run the program itself (its .exe) rather than its .cmd shim, or pass that value another way (a file, an environment variable).',
        data: { command: batchFile },
      },
    );
  }
  return arg;
}

/** Quoted as the C runtime's argument parser reads it back: only backslashes before the closing quote need doubling. */
function quoteForProgram(arg: string): string {
  return `"${arg.replace(/(\\+)$/, '$1$1')}"`;
}

function escapeForCmd(quoted: string): string {
  return quoted.replace(/[()%!^"<>&|]/g, '^$&');
}
