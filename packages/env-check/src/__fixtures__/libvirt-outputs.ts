/**
 * Outputs of `virsh --connect qemu:///system version`. Not recorded on this
 * project's machine, which has no libvirt: written after libvirt's own format
 * strings (tools/virsh-host.c, virnetsocket.c) and versions the distributions ship.
 */

/** Debian 12: libvirt 9.0.0 with QEMU 7.2, the daemon reachable. */
export const VIRSH_DEBIAN_12 = {
  stdout: `Compiled against library: libvirt 9.0.0
Using library: libvirt 9.0.0
Using API: QEMU 9.0.0
Running hypervisor: QEMU 7.2.0
`,
};

/** Ubuntu 24.04: libvirt 10.0.0 with QEMU 8.2.2. */
export const VIRSH_UBUNTU_24_04 = {
  stdout: `Compiled against library: libvirt 10.0.0
Using library: libvirt 10.0.0
Using API: QEMU 10.0.0
Running hypervisor: QEMU 8.2.2
`,
};

/** libvirt-clients installed, but no daemon: the socket does not exist. */
export const VIRSH_NO_DAEMON = {
  stderr: `error: failed to connect to the hypervisor
error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory
`,
  exitCode: 1,
};

/** A user outside the libvirt group on Debian/Ubuntu, where the socket is root:libvirt 0770. */
export const VIRSH_NOT_IN_GROUP = {
  stderr: `error: failed to connect to the hypervisor
error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission denied
`,
  exitCode: 1,
};

/** Fedora, where polkit guards the socket and no agent can ask for a password. */
export const VIRSH_POLKIT = {
  stderr: `error: failed to connect to the hypervisor
error: authentication unavailable: no polkit agent available to authenticate action 'org.libvirt.unix.manage'
`,
  exitCode: 1,
};

/** Anything else: a libvirt whose QEMU driver is missing. */
export const VIRSH_NO_QEMU_DRIVER = {
  stderr: `error: failed to connect to the hypervisor
error: no connection driver available for qemu:///system
`,
  exitCode: 1,
};
