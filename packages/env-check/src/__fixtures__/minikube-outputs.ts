/** Recorded outputs of `minikube version -o json`. */
export const MINIKUBE_1_37 = {
  stdout: '{"commit":"65318f4cfff9c12cc87ec9eb8f4cdd57b25047f3","minikubeVersion":"v1.37.0"}\n',
};
export const MINIKUBE_1_38_BETA = {
  stdout: '{"commit":"b3ac0f3d2e6a5c94c1b0e4a7c7d2b1f0e9a8d7c6","minikubeVersion":"v1.38.0-beta.0"}\n',
};
export const MINIKUBE_1_26 = {
  stdout: '{"commit":"62e108c3dfdec8029a890ad6d8ef96b6461426dc","minikubeVersion":"v1.26.1"}\n',
};
/** A beta of the minimum itself: older than the release. */
export const MINIKUBE_1_33_BETA = {
  stdout: '{"commit":"8d9893d9f1e0d3c2b1a0f9e8d7c6b5a4f3e2d1c0","minikubeVersion":"v1.33.0-beta.0"}\n',
};
/** A release from before `-o` existed on `version`. */
export const MINIKUBE_TOO_OLD_FOR_JSON = {
  stderr: "Error: unknown shorthand flag: 'o' in -o\n",
  exitCode: 1,
};
