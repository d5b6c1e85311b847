/** Recorded outputs of `docker version --format '{{json .}}'` and `docker context show`. */

/** Docker 28.2.2 on Linux (this project's dev machine) with no engine running: exit 1. */
export const DOCKER_NO_ENGINE = {
  stdout:
    '{"Client":{"Version":"28.2.2","ApiVersion":"1.50","DefaultAPIVersion":"1.50","GitCommit":"e6534b4","GoVersion":"go1.24.3","Os":"linux","Arch":"amd64","BuildTime":"Fri May 30 12:07:14 2025","Context":"default"},"Server":null}\n',
  stderr:
    'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
  exitCode: 1,
};

/** The same client with DOCKER_HOST=tcp://127.0.0.1:2375 and nothing listening there. */
export const DOCKER_NO_ENGINE_TCP = {
  stdout: DOCKER_NO_ENGINE.stdout,
  stderr: 'Cannot connect to the Docker daemon at tcp://127.0.0.1:2375. Is the docker daemon running?\n',
  exitCode: 1,
};

/** DOCKER_HOST=ssh://… whose host refuses: "error during connect", with a CRLF from ssh. */
export const DOCKER_ERROR_DURING_CONNECT = {
  stdout: DOCKER_NO_ENGINE.stdout,
  stderr:
    'error during connect: Get "http://docker.example.com/v1.50/version": command [ssh -o ConnectTimeout=30 -T -l nobody -- 127.0.0.1 docker system dial-stdio] has exited with exit status 255, make sure the URL is valid, and Docker 18.09 or later is installed on the remote host: stderr=ssh: connect to host 127.0.0.1 port 22: Connection refused\r\n\n',
  exitCode: 1,
};

/** A user outside the docker group on Linux. */
export const DOCKER_PERMISSION_DENIED = {
  stdout: DOCKER_NO_ENGINE.stdout,
  stderr:
    'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.50/version": dial unix /var/run/docker.sock: connect: permission denied\n',
  exitCode: 1,
};

/** Docker 28.0.4 client and engine, both reachable. */
export const DOCKER_RUNNING = {
  stdout:
    '{"Client":{"Platform":{"Name":"Docker Engine - Community"},"Version":"28.0.4","ApiVersion":"1.48","DefaultAPIVersion":"1.48","GitCommit":"b8034c0","GoVersion":"go1.23.7","Os":"linux","Arch":"amd64","BuildTime":"Tue Mar 25 15:07:16 2025","Context":"default"},"Server":{"Platform":{"Name":"Docker Engine - Community"},"Components":[{"Name":"Engine","Version":"28.0.4","Details":{"ApiVersion":"1.48","Arch":"amd64","BuildTime":"Tue Mar 25 15:07:16 2025","Experimental":"false","GitCommit":"6430e49","GoVersion":"go1.23.7","KernelVersion":"6.8.0-57-generic","MinAPIVersion":"1.24","Os":"linux"}},{"Name":"containerd","Version":"1.7.27","Details":{"GitCommit":"05044ec0a9a75232cad458027ca83437aae3f4da"}},{"Name":"runc","Version":"1.2.5","Details":{"GitCommit":"v1.2.5-0-g59923ef"}},{"Name":"docker-init","Version":"0.19.0","Details":{"GitCommit":"de40ad0"}}],"Version":"28.0.4","ApiVersion":"1.48","MinAPIVersion":"1.24","GitCommit":"6430e49","GoVersion":"go1.23.7","Os":"linux","Arch":"amd64","KernelVersion":"6.8.0-57-generic","BuildTime":"2025-03-25T15:07:16.000000000+00:00"}}\n',
  stderr: '',
  exitCode: 0,
};

/** Docker Desktop 19.03.8 on macOS (from Docker's docs): a client too old to name its context. */
export const DOCKER_19_RUNNING = {
  stdout:
    '{"Client":{"Platform":{"Name":"Docker Engine - Community"},"Version":"19.03.8","ApiVersion":"1.40","DefaultAPIVersion":"1.40","GitCommit":"afacb8b","GoVersion":"go1.12.17","Os":"darwin","Arch":"amd64","BuildTime":"Wed Mar 11 01:21:11 2020","Experimental":true},"Server":{"Platform":{"Name":"Docker Engine - Community"},"Components":[{"Name":"Engine","Version":"19.03.8","Details":{"ApiVersion":"1.40","Arch":"amd64","BuildTime":"Wed Mar 11 01:29:16 2020","Experimental":"true","GitCommit":"afacb8b","GoVersion":"go1.12.17","KernelVersion":"4.19.76-linuxkit","MinAPIVersion":"1.12","Os":"linux"}},{"Name":"containerd","Version":"v1.2.13","Details":{"GitCommit":"7ad184331fa3e55e52b890ea95e65ba581ae3429"}},{"Name":"runc","Version":"1.0.0-rc10","Details":{"GitCommit":"dc9208a3303feef5b3839f4323d9beb36df0a9dd"}},{"Name":"docker-init","Version":"0.18.0","Details":{"GitCommit":"fec3683"}}],"Version":"19.03.8","ApiVersion":"1.40","MinAPIVersion":"1.12","GitCommit":"afacb8b","GoVersion":"go1.12.17","Os":"linux","Arch":"amd64","KernelVersion":"4.19.76-linuxkit","Experimental":true,"BuildTime":"2020-03-11T01:29:16.000000000+00:00"}}\n',
  stderr: '',
  exitCode: 0,
};

/** A client newer than the engine's API. */
export const DOCKER_CLIENT_TOO_NEW = {
  stdout:
    '{"Client":{"Version":"28.2.2","ApiVersion":"1.50","DefaultAPIVersion":"1.50","GitCommit":"e6534b4","GoVersion":"go1.24.3","Os":"linux","Arch":"amd64","BuildTime":"Fri May 30 12:07:14 2025","Context":"default"},"Server":null}\n',
  stderr:
    'Error response from daemon: client version 1.50 is too new. Maximum supported API version is 1.43\n',
  exitCode: 1,
};
