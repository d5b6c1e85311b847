/**
 * Outputs of Parallels Desktop's `prlctl --version` and `prlsrvctl info --license`.
 * Not recorded on this project's machine (Parallels runs only on macOS): written
 * after the formats minikube's parallels driver parses.
 */
export const PRLCTL_19 = { stdout: 'prlctl version 19.1.0 (54729)\n' };
export const PRLCTL_10 = { stdout: 'prlctl version 10.4.0 (29337)\n' };

export const PRLSRVCTL_LICENSE_PRO = {
  stdout:
    'License: state="valid" key="XXXXXX-XXXXXX-XXXXXX-XXXXXX-XXXXXX" restricted="false" expiration="03/01/2027 00:00:00" main_period_ends="03/01/2027 00:00:00" grace_period_ends="03/01/2027 00:00:00" is_volume="no" product="Parallels Desktop" edition="pro" platform="Mac" product_version="19.*" deferred_activation="no" cpu_limit="32" max_memory="131072"\n',
};

export const PRLSRVCTL_LICENSE_STANDARD = {
  stdout: PRLSRVCTL_LICENSE_PRO.stdout.replace('edition="pro"', 'edition="standard"'),
};

/** No license activated: no edition to read. */
export const PRLSRVCTL_NO_LICENSE = { stdout: 'License: state="invalid"\n' };
