/** Recorded outputs of `kubectl version -o json --request-timeout=5s`. */

/** kubectl 1.32 on this project's dev machine, no kubeconfig: exit 1, client part on stdout. */
export const KUBECTL_NO_CLUSTER = {
  stdout: `{
  "clientVersion": {
    "major": "1",
    "minor": "32+",
    "gitVersion": "v1.32.4-dispatcher",
    "gitCommit": "4cb5f0764b8d5f425645c6f433394fede34a8a26",
    "gitTreeState": "clean",
    "buildDate": "2025-05-15T20:09:34Z",
    "goVersion": "go1.23.8",
    "compiler": "gc",
    "platform": "linux/amd64"
  },
  "kustomizeVersion": "v5.5.0"
}
`,
  stderr:
    'The connection to the server localhost:8080 was refused - did you specify the right host or port?\n',
  exitCode: 1,
};

/** A stopped minikube VM still named in the kubeconfig. */
export const KUBECTL_UNABLE_TO_CONNECT = {
  stdout: KUBECTL_NO_CLUSTER.stdout,
  stderr: 'Unable to connect to the server: dial tcp 192.168.59.100:8443: i/o timeout\n',
  exitCode: 1,
};

function clientAndServer(client: string, server: string): string {
  const info = (gitVersion: string) => {
    const [major, minor] = gitVersion.slice(1).split('.');
    return `{
    "major": "${major}",
    "minor": "${minor}",
    "gitVersion": "${gitVersion}",
    "gitCommit": "6e5d37ff8d7e7a6d3a3e6a8b9c0d1e2f3a4b5c6d",
    "gitTreeState": "clean",
    "buildDate": "2025-09-09T19:44:50Z",
    "goVersion": "go1.24.6",
    "compiler": "gc",
    "platform": "linux/amd64"
  }`;
  };
  return `{
  "clientVersion": ${info(client)},
  "kustomizeVersion": "v5.7.1",
  "serverVersion": ${info(server)}
}
`;
}

/** Client 1.32, cluster 1.34: two minors apart; kubectl warns on stderr and exits 0. */
export const KUBECTL_SKEWED_BY_TWO = {
  stdout: clientAndServer('v1.32.4', 'v1.34.1'),
  stderr:
    'WARNING: version difference between client (1.32) and server (1.34) exceeds the supported minor version skew of +/-1\n',
  exitCode: 0,
};

/** A release candidate client against a cluster one minor older. */
export const KUBECTL_RC_CLIENT = {
  stdout: clientAndServer('v1.34.0-rc.1', 'v1.33.2'),
  stderr: '',
  exitCode: 0,
};
