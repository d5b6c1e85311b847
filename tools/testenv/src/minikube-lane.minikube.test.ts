import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { afterAll, expect, it } from 'vitest';
import { describeOnMinikubeLane } from './vitest.js';

/** An A-record query over UDP, answered by the cluster's CoreDNS: the first address, or null. */
async function resolveA(server: string, name: string): Promise<string | null> {
  const header = Buffer.from([0x51, 0x0d, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
  const question = Buffer.concat([
    ...name.split('.').map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)])),
    Buffer.from([0x00, 0x00, 0x01, 0x00, 0x01]),
  ]);
  const socket = dgram.createSocket('udp4');
  try {
    const reply = await new Promise<Buffer>((resolve, reject) => {
      // UDP: a query or its answer can be lost (conntrack under load), so the query is
      // sent again every 2 s, as a resolver does, up to 15 times: that only bounds a failure.
      let sent = 0;
      const send = () => {
        if (sent++ === 15) {
          clearInterval(resend);
          reject(new Error(`no DNS answer from ${server} to 15 queries, 2 s apart`));
          return;
        }
        socket.send(Buffer.concat([header, question]), 53, server);
      };
      const resend = setInterval(send, 2000);
      socket.once('message', (message) => {
        clearInterval(resend);
        resolve(message);
      });
      send();
    });
    if (reply.readUInt16BE(6) === 0) return null;
    // Skip the question (name, type, class), then the answer's name; its data follows type, class, TTL and length.
    const skipName = (at: number): number => {
      let i = at;
      while (reply[i] !== 0) {
        if (((reply[i] ?? 0) & 0xc0) === 0xc0) return i + 2;
        i += (reply[i] ?? 0) + 1;
      }
      return i + 1;
    };
    const answer = skipName(12) + 4;
    const rdata = skipName(answer) + 2 + 2 + 4 + 2;
    return [...reply.subarray(rdata, rdata + 4)].join('.');
  } finally {
    socket.close();
  }
}

describeOnMinikubeLane('the minikube lane: a real none-driver node that pulls from the local registry and runs containers', (lane, testenv) => {
  const ns = `qed-lane-${process.pid}`;
  const env = { ...process.env, ...lane, DOCKER_HOST: testenv.DOCKER_HOST };
  const sh = (command: string, args: string[], input?: string) => spawnSync(command, args, { env, encoding: 'utf8', timeout: 300_000, input });
  afterAll(() => {
    sh('kubectl', ['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']);
  });

  it('runs the pinned Kubernetes version on one Ready node, with CoreDNS and kube-proxy running from the images built here', () => {
    const nodes = JSON.parse(sh('kubectl', ['get', 'nodes', '-o', 'json']).stdout) as {
      items: Array<{ status: { nodeInfo: { kubeletVersion: string; containerRuntimeVersion: string }; conditions: Array<{ type: string; status: string }> } }>;
    };
    expect(nodes.items).toHaveLength(1);
    const [node] = nodes.items;
    if (!node) throw new Error('no node');
    expect(node.status.nodeInfo.kubeletVersion).toBe(lane.QED_TEST_MINIKUBE_KUBERNETES_VERSION);
    expect(node.status.nodeInfo.containerRuntimeVersion).toMatch(/^containerd:\/\//);
    expect(node.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    for (const selector of ['k8s-app=kube-dns', 'k8s-app=kube-proxy']) {
      const ready = sh('kubectl', ['-n', 'kube-system', 'wait', '--for=condition=Ready', 'pod', '-l', selector, '--timeout=180s']);
      expect(ready.status, `${selector}: ${ready.stderr}`).toBe(0);
    }
  });

  it('pulls an image pushed to the lane registry over plain HTTP, runs it, and reaches it through a Service and cluster DNS', async () => {
    const image = `${lane.QED_TEST_MINIKUBE_REGISTRY}/qed-lane/standin:${process.pid}`;
    expect(sh('docker', ['load', '-i', lane.QED_TEST_STANDIN_ARCHIVE]).status).toBe(0);
    expect(sh('docker', ['tag', lane.QED_TEST_STANDIN_IMAGE, image]).status).toBe(0);
    const push = sh('docker', ['push', image]);
    expect(push.status, push.stderr).toBe(0);
    const applied = sh(
      'kubectl',
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: Namespace
metadata: { name: ${ns} }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: ${ns} }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: ${image}
          imagePullPolicy: Always
          env: [{ name: QED_STANDIN_PORTS, value: "8080" }]
          readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: ${ns} }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
`,
    );
    expect(applied.status, applied.stderr).toBe(0);
    const rolled = sh('kubectl', ['-n', ns, 'rollout', 'status', 'deploy/web', '--timeout=180s']);
    expect(rolled.status, rolled.stderr).toBe(0);
    expect(sh('kubectl', ['-n', ns, 'logs', 'deploy/web']).stdout).toContain('listening on 8080');
    const clusterIp = sh('kubectl', ['-n', ns, 'get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}']).stdout.trim();
    // kube-proxy's rules take the host's traffic to the ClusterIP to the pod, once it has
    // synced the new endpoints (a second or so after the pod is Ready, longer on a loaded
    // machine): tried up to 120 times, which only bounds a failure.
    let reply = '';
    for (let attempt = 0; attempt < 120 && !reply; attempt++) {
      reply = sh('curl', ['-sS', '--max-time', '2', `http://${clusterIp}/hello`]).stdout;
      if (!reply) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(reply).toMatch(/^qed-testenv standin web-[a-z0-9-]+: GET \/hello\n$/);
    const dns = sh('kubectl', ['-n', 'kube-system', 'get', 'service', 'kube-dns', '-o', 'jsonpath={.spec.clusterIP}']).stdout.trim();
    expect(await resolveA(dns, `web.${ns}.svc.cluster.local`)).toBe(clusterIp);
  });
});
