import type { OperatingSystem } from '@qed/core';

export interface OsHints {
  macos: string;
  windows: string;
  linux: string;
  /** Defaults to the Linux hint: inside WSL the user runs Linux commands. */
  wsl?: string;
}

export function hintFor(os: OperatingSystem, hints: OsHints): string {
  return os === 'wsl' ? (hints.wsl ?? hints.linux) : hints[os];
}
