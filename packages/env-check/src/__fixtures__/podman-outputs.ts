/**
 * Outputs of `podman version --format json`: podman's SystemVersionReport, one
 * line, with Client always and Server only when it talks to a service (as on
 * macOS and Windows, through the podman machine).
 */

/**
 * Recorded on this project's machine (Debian 12, podman 4.3.1+ds1-8+deb12u1):
 * older than minikube's minimum of 4.9.0.
 */
export const PODMAN_4_3_LINUX = {
  stdout:
    '{"Client":{"APIVersion":"4.3.1","Version":"4.3.1","GoVersion":"go1.19.8","GitCommit":"","BuiltTime":"Thu Jan  1 00:00:00 1970","Built":0,"OsArch":"linux/amd64","Os":"linux"}}\n',
};

/**
 * Recorded on this project's machine with CONTAINER_HOST=unix:///tmp/qed-nonexistent.sock:
 * nothing on stdout, podman's banner on stderr, exit 125.
 */
export const PODMAN_LINUX_SERVICE_UNREACHABLE = {
  stderr:
    'Cannot connect to Podman. Please verify your connection to the Linux system using `podman system connection list`, or try `podman machine init` and `podman machine start` to manage a new Linux VM\nError: unable to connect to Podman socket: Get "http://d/v4.3.1/libpod/_ping": dial unix /tmp/qed-nonexistent.sock: connect: no such file or directory\n',
  exitCode: 125,
};

/** Ubuntu 24.04's podman 4.9.3, local (no Server); not recorded here: the Debian output with Ubuntu's versions. */
export const PODMAN_4_9_LINUX = {
  stdout:
    '{"Client":{"APIVersion":"4.9.3","Version":"4.9.3","GoVersion":"go1.22.2","GitCommit":"","BuiltTime":"Thu Jan  1 00:00:00 1970","Built":0,"OsArch":"linux/amd64","Os":"linux"}}\n',
};

/** Homebrew's podman on macOS talking to a running podman machine; not recorded here (no Mac). */
export const PODMAN_5_MAC_MACHINE_RUNNING = {
  stdout:
    '{"Client":{"APIVersion":"5.6.1","Version":"5.6.1","GoVersion":"go1.25.1","GitCommit":"","BuiltTime":"Wed Sep 10 12:00:00 2025","Built":1757505600,"OsArch":"darwin/arm64","Os":"darwin"},"Server":{"APIVersion":"5.6.1","Version":"5.6.1","GoVersion":"go1.24.6","GitCommit":"","BuiltTime":"Tue Sep  9 00:00:00 2025","Built":1757376000,"OsArch":"linux/arm64","Os":"linux"}}\n',
};

/**
 * The same client with the podman machine stopped: exit 125 and podman's banner on
 * stderr, as recorded here for an unreachable service, with the machine's TCP address.
 */
export const PODMAN_MAC_MACHINE_STOPPED = {
  stderr:
    'Cannot connect to Podman. Please verify your connection to the Linux system using `podman system connection list`, or try `podman machine init` and `podman machine start` to manage a new Linux VM\nError: unable to connect to Podman socket: failed to connect: dial tcp 127.0.0.1:50655: connect: connection refused\n',
  exitCode: 125,
};
