/**
 * Outputs of `qemu-system-<arch> --version`. Not recorded on this project's
 * machine, which has no QEMU: written after QEMU's own banner and the versions
 * Debian, Ubuntu and Homebrew ship.
 */

/** Debian 12's qemu-system-x86. */
export const QEMU_DEBIAN_12 = {
  stdout: `QEMU emulator version 7.2.15 (Debian 1:7.2+dfsg-7+deb12u12)
Copyright (c) 2003-2022 Fabrice Bellard and the QEMU Project developers
`,
};

/** Homebrew's qemu on macOS. */
export const QEMU_HOMEBREW = {
  stdout: `QEMU emulator version 10.0.2
Copyright (c) 2003-2025 Fabrice Bellard and the QEMU Project developers
`,
};

/** The Windows installer's build. */
export const QEMU_WINDOWS = {
  stdout:
    'QEMU emulator version 9.2.0 (v9.2.0-12033-g8f2db7cb26)\r\nCopyright (c) 2003-2024 Fabrice Bellard and the QEMU Project developers\r\n',
};

/** A binary whose shared libraries went missing after an upgrade. */
export const QEMU_BROKEN = {
  stderr:
    'qemu-system-x86_64: error while loading shared libraries: libslirp.so.0: cannot open shared object file: No such file or directory\n',
  exitCode: 127,
};
