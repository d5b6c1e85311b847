/** Recorded outputs of `VBoxManage --version`. */

export const VBOX_7_1 = { stdout: '7.1.4r165100\n' };

/** Ubuntu's own build names itself in the version string. */
export const VBOX_UBUNTU = { stdout: '7.0.20_Ubuntur163906\n' };

/**
 * Linux, module not built for the running kernel: the wrapper script's warning
 * paragraph comes first, then the version, exit 0.
 */
export const VBOX_MODULE_NOT_LOADED = {
  stdout: `WARNING: The vboxdrv kernel module is not loaded. Either there is no module
         available for the current kernel (6.8.0-45-generic) or it failed to
         load. Please recompile the kernel module and install it by

           sudo /sbin/vboxconfig

         You will not be able to start VMs until this problem is fixed.
7.1.4r165100
`,
};

/** The same warning on stderr, as some packagings print it. */
export const VBOX_MODULE_WARNING_ON_STDERR = {
  stdout: '7.0.20_Ubuntur163906\n',
  stderr: `WARNING: The character device /dev/vboxdrv does not exist.
	 Please install the virtualbox-dkms package and the appropriate
	 headers, most likely linux-headers-generic.

	 You will not be able to start VMs until this problem is fixed.
`,
};
