/**
 * Output of `vmrun` with no arguments: its banner and usage, exit 255. Not
 * recorded on this project's machine, which has no VMware: the banner as VMware
 * Workstation 17.5 prints it, usage trimmed.
 */
export const VMRUN_17 = {
  stdout: `vmrun version 1.17.0 build-22583795

Usage: vmrun [AUTHENTICATION-FLAGS] COMMAND [PARAMETERS]
`,
  exitCode: 255,
};

/** vmrun left behind by an uninstall, its libraries gone. */
export const VMRUN_BROKEN = {
  stderr:
    'vmrun: error while loading shared libraries: libvixAllProducts.so: cannot open shared object file: No such file or directory\n',
  exitCode: 127,
};
