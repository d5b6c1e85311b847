import { describe, expect, it } from 'vitest';
import { convertSnippet, problemsOf } from './convert-test-support.js';

/** A service `web` (nginx, port 8080:80) with these labels, and more service keys when given. */
function web(labels: Record<string, string>, more = ''): string {
  const lines = Object.entries(labels).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`);
  return ['services:', '  web:', '    image: nginx', '    ports: ["8080:80"]', '    labels:', ...lines, more].filter(Boolean).join('\n').concat('\n');
}

describe('a kompose.* label convert does not know', () => {
  it('is a warning naming file, line and label, and never an annotation', async () => {
    const r = await convertSnippet(web({ 'com.example.team': 'qed', 'kompose.service.tpye': 'nodeport' }));
    expect(r.warnings.map((w) => [w.file.endsWith('docker-compose.yml'), w.line, w.key, w.message])).toEqual([
      [
        true,
        7,
        'services.web.labels.kompose.service.tpye',
        'not a label kompose reads: ignored, and not made an annotation; did you mean kompose.service.expose, kompose.service.expose.ingress-class-name, kompose.service.expose.tls-secret, kompose.service.external-traffic-policy?',
      ],
    ]);
    expect(r.get('Deployment', 'web').metadata.annotations).toEqual({ 'compose.qed-bootstrap/service': 'web', 'com.example.team': 'qed' });
  });

  it('known kompose labels are not annotations either', async () => {
    const r = await convertSnippet(web({ 'kompose.service.type': 'nodeport' }));
    expect(Object.keys(r.get('Deployment', 'web').metadata.annotations ?? {})).toEqual(['compose.qed-bootstrap/service']);
  });

  it('on a top-level volume too', async () => {
    const r = await convertSnippet('services:\n  db:\n    image: db\n    volumes: ["data:/data"]\nvolumes:\n  data:\n    labels:\n      kompose.volume.sise: 5Gi\n');
    expect(r.messages).toEqual([expect.stringMatching(/^volumes\.data\.labels\.kompose\.volume\.sise: not a label kompose reads/)]);
  });
});

describe('kompose.service.* -> the Service and its Ingress', () => {
  it.each([
    ['nodeport', { 'kompose.service.type': 'nodeport' }, { type: 'NodePort', ports: [{ name: 'tcp-8080', port: 8080, targetPort: 80, protocol: 'TCP' }] }],
    ['a fixed node port', { 'kompose.service.type': 'NodePort', 'kompose.service.nodeport.port': '30080' }, { type: 'NodePort', ports: [{ name: 'tcp-8080', port: 8080, targetPort: 80, protocol: 'TCP', nodePort: 30080 }] }],
    ['loadbalancer with a local traffic policy', { 'kompose.service.type': 'loadbalancer', 'kompose.service.external-traffic-policy': 'local' }, { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }],
    ['clusterip is the default type, left unwritten', { 'kompose.service.type': 'clusterip' }, { selector: { 'app.kubernetes.io/name': 'web' } }],
    ['headless', { 'kompose.service.type': 'headless' }, { clusterIP: 'None', ports: [{ name: 'tcp-8080', port: 8080, targetPort: 80, protocol: 'TCP' }] }],
  ])('%s', async (_case, labels, spec) => {
    const r = await convertSnippet(web(labels));
    expect(r.get('Service', 'web').spec).toMatchObject(spec);
    expect(r.messages).toEqual([]);
  });

  it('headless without ports still gets its Service (a StatefulSet names one), with no ports', async () => {
    const r = await convertSnippet('services:\n  db:\n    image: db\n    labels: { kompose.service.type: headless }\n');
    expect(r.get('Service', 'db').spec).toEqual({ clusterIP: 'None', selector: { 'app.kubernetes.io/name': 'db' } });
  });

  it('an external traffic policy on a ClusterIP Service is warned and left out', async () => {
    const r = await convertSnippet(web({ 'kompose.service.external-traffic-policy': 'local' }));
    expect(r.get('Service', 'web').spec).not.toHaveProperty('externalTrafficPolicy');
    expect(r.messages).toEqual([
      'services.web.labels.kompose.service.external-traffic-policy: applies to NodePort and LoadBalancer Services only; this one is ClusterIP: ignored',
    ]);
  });

  it.each([
    [
      'hosts and paths, one rule per host',
      { 'kompose.service.expose': 'example.com, example.com/api,qed.example.org' },
      {
        rules: [
          { host: 'example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } }, { path: '/api', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } }] } },
          { host: 'qed.example.org', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } }] } },
        ],
      },
    ],
    ['true: every host', { 'kompose.service.expose': 'true' }, { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } }] } }] }],
    [
      'a TLS secret and an ingress class',
      { 'kompose.service.expose': 'example.com', 'kompose.service.expose.tls-secret': 'example-tls', 'kompose.service.expose.ingress-class-name': 'nginx' },
      { ingressClassName: 'nginx', tls: [{ hosts: ['example.com'], secretName: 'example-tls' }], rules: [{ host: 'example.com' }] },
    ],
    ['tls-secret true: TLS with the controller’s certificate', { 'kompose.service.expose': 'example.com', 'kompose.service.expose.tls-secret': 'true' }, { tls: [{ hosts: ['example.com'] }] }],
  ])('kompose.service.expose: %s', async (_case, labels, spec) => {
    const r = await convertSnippet(web(labels));
    const ingress = r.get('Ingress', 'web');
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.spec).toMatchObject(spec);
  });

  it('expose without ports is warned: there is no Service to route to', async () => {
    const r = await convertSnippet('services:\n  job:\n    image: busybox\n    labels: { kompose.service.expose: example.com }\n');
    expect(r.find('Ingress', 'job')).toBeUndefined();
    expect(r.messages).toEqual(['services.job.labels.kompose.service.expose: the service has no ports or expose, so no Service is made and the label has nothing to act on']);
  });
});

describe('kompose.controller.*, cronjob and hpa -> the workload', () => {
  it.each([
    ['daemonset', 'DaemonSet'],
    ['statefulset', 'StatefulSet'],
    ['Deployment', 'Deployment'],
  ])('kompose.controller.type %s -> %s', async (type, kind) => {
    const r = await convertSnippet(web({ 'kompose.controller.type': type }));
    expect(r.get(kind, 'web').apiVersion).toBe('apps/v1');
    expect(r.objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind))).toHaveLength(1);
  });

  it.each([
    ['--controller replicationcontroller', { app: 'web' }, { controller: 'replicationcontroller' as const }, '--controller'],
    ['kompose.controller.type replicationController', { 'kompose.controller.type': 'replicationController' }, {}, 'services.web.labels.kompose.controller.type'],
  ])('%s -> a v1 ReplicationController (selector a plain map), warned that Deployments supersede it', async (_, labels, options, key) => {
    const r = await convertSnippet(web(labels, '    deploy: { replicas: 2 }'), options);
    const rc = r.get('ReplicationController', 'web');
    expect(rc.apiVersion).toBe('v1');
    const spec = rc.spec as { replicas: number; selector: Record<string, string>; template: { metadata: { labels: Record<string, string> } } };
    expect(spec.replicas).toBe(2);
    expect(spec.selector).toEqual({ 'app.kubernetes.io/name': 'web' });
    expect(spec.template.metadata.labels).toMatchObject(spec.selector);
    expect(r.find('Deployment', 'web')).toBeUndefined();
    expect(r.messages).toContain(`${key}: replicationcontroller makes a v1 ReplicationController, as asked; Deployments supersede it (rolling updates and rollbacks): prefer deployment`);
  });

  it('an autoscaler of a ReplicationController targets it as v1', async () => {
    const r = await convertSnippet(web({ 'kompose.hpa.cpu': '60' }), { controller: 'replicationcontroller' });
    expect((r.get('HorizontalPodAutoscaler', 'web').spec as { scaleTargetRef: unknown }).scaleTargetRef).toEqual({ apiVersion: 'v1', kind: 'ReplicationController', name: 'web' });
    expect(r.get('ReplicationController', 'web').spec).not.toHaveProperty('replicas');
  });

  it('a DaemonSet has no replicas: deploy.replicas is warned', async () => {
    const r = await convertSnippet(web({ 'kompose.controller.type': 'daemonset' }, '    deploy: { replicas: 3 }'));
    expect(r.get('DaemonSet', 'web').spec).not.toHaveProperty('replicas');
    expect(r.messages).toContain('services.web.deploy: deploy.replicas 3 does not apply to a DaemonSet, which runs one pod on every node');
  });

  it('kompose.controller.port.expose binds the ports on the node', async () => {
    const r = await convertSnippet('services:\n  web:\n    image: nginx\n    ports: ["127.0.0.1:8080:80"]\n    labels: { kompose.controller.port.expose: "true" }\n');
    expect(r.container('web').ports).toEqual([{ containerPort: 80, protocol: 'TCP', hostPort: 8080, hostIP: '127.0.0.1' }]);
  });

  it('kompose.cronjob.* -> a batch/v1 CronJob whose pods run to completion', async () => {
    const r = await convertSnippet(
      'services:\n  backup:\n    image: backup\n    restart: "no"\n    labels:\n      kompose.cronjob.schedule: "0 3 * * *"\n      kompose.cronjob.concurrency_policy: forbid\n      kompose.cronjob.backoff_limit: "2"\n',
    );
    expect(r.kinds()).toEqual(['CronJob/backup']);
    const cronJob = r.get('CronJob', 'backup');
    expect(cronJob.apiVersion).toBe('batch/v1');
    expect(cronJob.spec).toMatchObject({ schedule: '0 3 * * *', concurrencyPolicy: 'Forbid', jobTemplate: { spec: { backoffLimit: 2 } } });
    expect(r.podSpec('backup', 'CronJob')).toMatchObject({ restartPolicy: 'Never', containers: [{ name: 'backup', image: 'backup' }] });
    expect(r.messages).toEqual([]);
  });

  it('a CronJob of a service that restarts always runs to completion anyway, with a warning', async () => {
    const r = await convertSnippet('services:\n  tick:\n    image: t\n    restart: always\n    labels: { kompose.cronjob.schedule: "@hourly" }\n');
    expect(r.podSpec('tick', 'CronJob').restartPolicy).toBe('OnFailure');
    expect(r.messages).toEqual(['services.tick.restart: restart: always does not fit a CronJob, whose pods run to completion: they restart only on failure']);
  });

  it('kompose.hpa.* -> an autoscaling/v2 HorizontalPodAutoscaler; the Deployment leaves replicas to it', async () => {
    const r = await convertSnippet(
      web({ 'kompose.hpa.replicas.min': '2', 'kompose.hpa.replicas.max': '6', 'kompose.hpa.cpu': '80%', 'kompose.hpa.memory': '512Mi' }, '    deploy:\n      resources:\n        reservations: { cpus: "0.25", memory: 128m }'),
    );
    expect(r.get('HorizontalPodAutoscaler', 'web')).toMatchObject({
      apiVersion: 'autoscaling/v2',
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 6,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '512Mi' } } },
        ],
      },
    });
    expect(r.get('Deployment', 'web').spec).not.toHaveProperty('replicas');
    expect(r.messages).toEqual([]);
  });

  it('kompose.hpa.* defaults as kompose does (1-3 replicas, 50% CPU, 70% memory) and warns without requests', async () => {
    const r = await convertSnippet(web({ 'kompose.hpa.replicas.max': '5' }));
    expect(r.get('HorizontalPodAutoscaler', 'web').spec).toMatchObject({
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [{ resource: { name: 'cpu', target: { averageUtilization: 50 } } }, { resource: { name: 'memory', target: { averageUtilization: 70 } } }],
    });
    expect(r.messages).toEqual([expect.stringContaining('measures cpu and memory utilization against the container\'s requests, which are not set')]);
  });
});

describe('kompose labels on the pod and its container', () => {
  it('init containers, pull secret and policy, service account, fsGroup', async () => {
    const r = await convertSnippet(
      web({
        'kompose.init.containers.name': 'wait-db',
        'kompose.init.containers.image': 'busybox',
        'kompose.init.containers.command': '["sh", "-c", "until nc -z db 5432; do sleep 1; done"]',
        'kompose.image-pull-secret': 'regcred',
        'kompose.image-pull-policy': 'Always',
        'kompose.serviceaccount-name': 'web-runner',
        'kompose.security-context.fsgroup': '1001',
      }),
    );
    expect(r.podSpec('web')).toMatchObject({
      initContainers: [{ name: 'wait-db', image: 'busybox', command: ['sh', '-c', 'until nc -z db 5432; do sleep 1; done'] }],
      imagePullSecrets: [{ name: 'regcred' }],
      serviceAccountName: 'web-runner',
      securityContext: { fsGroup: 1001 },
    });
    expect(r.container('web').imagePullPolicy).toBe('Always');
    expect(r.messages).toEqual([
      'services.web.labels.kompose.serviceaccount-name: a ServiceAccount named web-runner must exist in the namespace; none is generated',
      'services.web.labels.kompose.image-pull-secret: a docker-registry Secret named regcred must exist in the namespace (kubectl create secret docker-registry); none is generated',
    ]);
  });

  it('kompose\u2019s own init command form [a, b] and its default name', async () => {
    const r = await convertSnippet(web({ 'kompose.init.containers.image': 'busybox', 'kompose.init.containers.command': '[echo, hello]' }));
    expect(r.podSpec('web').initContainers).toEqual([{ name: 'init-service', image: 'busybox', command: ['echo', 'hello'] }]);
  });

  it.each([
    [
      'readiness from labels replaces the healthcheck probe',
      { 'kompose.service.healthcheck.readiness.http_get_path': '/ready', 'kompose.service.healthcheck.readiness.http_get_port': '80', 'kompose.service.healthcheck.readiness.interval': '5s' },
      { readinessProbe: { httpGet: { path: '/ready', port: 80 }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 4 } },
    ],
    [
      'readiness test in the compose form',
      { 'kompose.service.healthcheck.readiness.test': '["CMD-SHELL", "pg_isready -U qed"]', 'kompose.service.healthcheck.readiness.retries': '10' },
      { readinessProbe: { exec: { command: ['/bin/sh', '-c', 'pg_isready -U qed'] }, periodSeconds: 30, timeoutSeconds: 3, failureThreshold: 10 } },
    ],
    ['readiness disabled: no probe at all', { 'kompose.service.healthcheck.readiness.disable': 'true' }, {}],
    [
      'a TCP liveness probe, timed by the healthcheck as kompose times it',
      { 'kompose.service.healthcheck.liveness.tcp_port': '80' },
      { readinessProbe: { exec: { command: ['/bin/sh', '-c', 'curl -f localhost'] } }, livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 30, timeoutSeconds: 3, failureThreshold: 4 } },
    ],
    [
      'an HTTP liveness probe',
      { 'kompose.service.healthcheck.liveness.http_get_path': '/health', 'kompose.service.healthcheck.liveness.http_get_port': '80' },
      { livenessProbe: { httpGet: { path: '/health', port: 80 } } },
    ],
  ])('healthcheck labels: %s', async (_case, labels, probes) => {
    const r = await convertSnippet(web(labels, '    healthcheck:\n      test: curl -f localhost\n      interval: 30s\n      timeout: 3s\n      retries: 4'));
    const container = r.container('web');
    const actual = Object.fromEntries(['readinessProbe', 'livenessProbe'].filter((k) => container[k] !== undefined).map((k) => [k, container[k]]));
    if (Object.keys(probes).length === 0) expect(actual).toEqual({});
    else expect(actual).toMatchObject(probes);
  });

  it('kompose.ephemeral-storage.* from deploy.labels -> ephemeral-storage limits and requests', async () => {
    const r = await convertSnippet(
      'services:\n  web:\n    image: nginx\n    deploy:\n      labels:\n        kompose.ephemeral-storage.limit: 2Gi\n        kompose.ephemeral-storage.request: 500Mi\n        com.example.tier: front\n',
    );
    expect(r.container('web').resources).toEqual({ limits: { 'ephemeral-storage': '2Gi' }, requests: { 'ephemeral-storage': '500Mi' } });
    expect(r.get('Deployment', 'web').metadata.labels).toMatchObject({ 'com.example.tier': 'front' });
    expect(r.messages).toEqual([]);
  });
});

describe('kompose.volume.*', () => {
  const compose = (labels: string, volumeLabels = '') =>
    `services:\n  db:\n    image: postgres\n    volumes: ["data:/var/lib/postgresql/data", "./init:/docker-entrypoint-initdb.d"]\n    labels:\n${labels}\nvolumes:\n  data:${volumeLabels ? `\n    labels:\n${volumeLabels}` : ' {}'}\n`;

  it('size and storage class on the service shape its claims; a storage class is never bound to a local volume', async () => {
    const r = await convertSnippet(compose('      kompose.volume.size: 5Gi\n      kompose.volume.storage-class-name: fast'), { dataRoot: '/home/dev/.qed/data' });
    expect(r.get('PersistentVolumeClaim', 'data').spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, storageClassName: 'fast' });
    expect(r.find('PersistentVolume', 'qed-data')).toBeUndefined();
  });

  it('the volume\u2019s own size and selector win over the service\u2019s', async () => {
    const r = await convertSnippet(compose('      kompose.volume.size: 5Gi', '      kompose.volume.size: 20Gi\n      kompose.volume.selector: pg-disk'));
    expect(r.get('PersistentVolumeClaim', 'data').spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '20Gi' } },
      selector: { matchLabels: { 'io.kompose.service': 'pg-disk' } },
    });
  });

  it('kompose.volume.type and kompose.volume.subpath', async () => {
    const r = await convertSnippet(compose('      kompose.volume.type: emptyDir\n      kompose.volume.subpath: pg'));
    expect(r.podSpec('db').volumes).toContainEqual({ name: 'data', emptyDir: {} });
    expect(r.container('db').volumeMounts).toEqual([
      { name: 'data', mountPath: '/var/lib/postgresql/data', subPath: 'pg' },
      { name: 'bind-1', mountPath: '/docker-entrypoint-initdb.d', subPath: 'pg' },
    ]);
    expect(r.find('PersistentVolumeClaim', 'data')).toBeUndefined();
  });
});

describe('kompose.volume.type configMap and hostPath', () => {
  it('configMap: bind-mounted files become ConfigMaps for this service; named volumes stay claims, warned', async () => {
    const r = await convertSnippet(
      'services:\n  web:\n    image: nginx\n    volumes: ["./nginx.conf:/etc/nginx/nginx.conf:ro", "cache:/cache"]\n    labels: { kompose.volume.type: configMap }\nvolumes:\n  cache: {}\n',
      {},
      { 'nginx.conf': 'events {}\n' },
    );
    expect(r.get('ConfigMap', 'web-nginx-conf').data).toEqual({ 'nginx.conf': 'events {}\n' });
    expect(r.get('PersistentVolumeClaim', 'cache')).toBeDefined();
    expect(r.messages).toEqual(['services.web.labels.kompose.volume.type: configMap applies to bind mounts; named volumes stay persistentVolumeClaim']);
  });

  it('hostPath: folders under the data root, which it needs', async () => {
    const compose = 'services:\n  db:\n    image: db\n    volumes: ["data:/data"]\n    labels: { kompose.volume.type: hostPath }\nvolumes:\n  data: {}\n';
    const r = await convertSnippet(compose, { dataRoot: '/srv/qed' });
    expect(r.podSpec('db').volumes).toEqual([{ name: 'data', hostPath: { path: '/srv/qed/data', type: 'DirectoryOrCreate' } }]);
    expect(await problemsOf(compose)).toEqual([
      'docker-compose.yml:5 services.db.labels.kompose.volume.type: hostPath puts named volumes in folders under the data root, and none is given: pass --data-root DIR',
    ]);
  });
});

describe('kompose.service.group and kompose.service.name_override', () => {
  it('services of one group share a pod: one workload, a container each, their Services select it', async () => {
    const r = await convertSnippet(
      [
        'services:',
        '  nginx:',
        '    image: nginx',
        '    ports: ["80:80"]',
        '    volumes: ["logs:/var/log/nginx", "./site:/usr/share/nginx/html:ro"]',
        '    labels: [kompose.service.group=sidecar]',
        '  logs:',
        '    image: busybox',
        '    command: ["tail", "-F", "/var/log/nginx/access.log"]',
        '    volumes: ["logs:/var/log/nginx:ro", "./etc:/etc/x"]',
        '    labels: [kompose.service.group=sidecar]',
        'volumes:',
        '  logs: {}',
        '',
      ].join('\n'),
    );
    expect(r.kinds()).toEqual(['PersistentVolumeClaim/logs', 'Service/nginx', 'Deployment/sidecar']);
    const pod = r.podSpec('sidecar');
    expect((pod.containers as Array<{ name: string }>).map((c) => c.name)).toEqual(['nginx', 'logs']);
    expect(pod.volumes).toEqual([
      { name: 'logs', persistentVolumeClaim: { claimName: 'logs' } },
      { name: 'nginx-bind-1', hostPath: { path: expect.stringMatching(/site$/) } },
      { name: 'logs-bind-1', hostPath: { path: expect.stringMatching(/etc$/) } },
    ]);
    expect(r.get('Service', 'nginx').spec).toMatchObject({ selector: { 'app.kubernetes.io/name': 'sidecar' } });
    expect(r.get('Deployment', 'sidecar').metadata.annotations?.['compose.qed-bootstrap/service']).toBe('nginx,logs');
  });

  it('name_override renames every object of the service', async () => {
    const r = await convertSnippet(web({ 'kompose.service.name_override': 'frontend' }));
    expect(r.kinds()).toEqual(['Service/frontend', 'Deployment/frontend']);
    expect(r.get('Service', 'frontend').spec).toMatchObject({ selector: { 'app.kubernetes.io/name': 'frontend' } });
  });
});

describe('--service-group-mode volume: services with the same volumes share a pod', () => {
  const compose = [
    'services:',
    '  web:',
    '    image: nginx',
    '    ports: ["80:80"]',
    '    volumes: ["data:/data"]',
    '  worker:',
    '    image: busybox',
    '    volumes: ["data:/data"]',
    '    labels: [kompose.service.group=elsewhere]',
    '  other:',
    '    image: busybox',
    '    volumes: ["data:/data", "logs:/logs"]',
    '  plain:',
    '    image: busybox',
    'volumes:',
    '  data: {}',
    '  logs: {}',
    '',
  ].join('\n');

  it('one workload named after its services, a container each, one claim; the label is not used (warned)', async () => {
    const r = await convertSnippet(compose, { serviceGroupMode: 'volume' });
    expect(r.kinds()).toEqual([
      'PersistentVolumeClaim/data',
      'PersistentVolumeClaim/logs',
      'Service/web',
      'Deployment/web-worker',
      'Deployment/other',
      'Deployment/plain',
    ]);
    const pod = r.podSpec('web-worker');
    expect((pod.containers as Array<{ name: string }>).map((c) => c.name)).toEqual(['web', 'worker']);
    expect(pod.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }]);
    expect(r.get('Service', 'web').spec).toMatchObject({ selector: { 'app.kubernetes.io/name': 'web-worker' } });
    expect(r.messages).toEqual(['services.worker.labels.kompose.service.group: not used: --service-group-mode volume groups services by the volumes they mount']);
  });

  it('--service-group-name names the pod', async () => {
    const r = await convertSnippet(compose, { serviceGroupMode: 'volume', serviceGroupName: 'backend' });
    expect(r.kinds()).toContain('Deployment/backend');
    expect(r.kinds()).not.toContain('Deployment/web-worker');
  });

  it('label mode (the default) groups by kompose.service.group only', async () => {
    const r = await convertSnippet(compose, { serviceGroupMode: 'label' });
    expect(r.kinds().filter((k) => k.startsWith('Deployment/'))).toEqual(['Deployment/web', 'Deployment/elsewhere', 'Deployment/other', 'Deployment/plain']);
  });

  it('mounts in another order or mode still count as the same volumes only when source, target and mode match', async () => {
    const r = await convertSnippet(
      ['services:', '  a:', '    image: a', '    volumes: ["xv:/x", "yv:/y"]', '  b:', '    image: b', '    volumes: ["yv:/y", "xv:/x"]', '  c:', '    image: c', '    volumes: ["xv:/x:ro", "yv:/y"]', ''].join('\n'),
      { serviceGroupMode: 'volume' },
    );
    expect(r.kinds().filter((k) => k.startsWith('Deployment/'))).toEqual(['Deployment/a-b', 'Deployment/c']);
  });

  it('--service-group-name with two groups, or a group named like another service, is refused', async () => {
    const two = ['services:', '  a:', '    image: a', '    volumes: ["xv:/x"]', '  b:', '    image: b', '    volumes: ["xv:/x"]', '  c:', '    image: c', '    volumes: ["yv:/y"]', '  d:', '    image: d', '    volumes: ["yv:/y"]', ''].join('\n');
    expect(await problemsOf(two, { serviceGroupMode: 'volume', serviceGroupName: 'pod' })).toEqual([
      "docker-compose.yml:8 services.c: --service-group-name names one pod, but 2 sets of services share volumes (a + b; c + d): leave it out, and each pod is named after its services",
    ]);
    const one = ['services:', '  a:', '    image: a', '    volumes: ["xv:/x"]', '  b:', '    image: b', '    volumes: ["xv:/x"]', '  c:', '    image: c', ''].join('\n');
    expect(await problemsOf(one, { serviceGroupMode: 'volume', serviceGroupName: 'c' })).toEqual([
      "docker-compose.yml:4 services.a.volumes: the group's workload would be named c, the name of c, which is not in the group: rename the group",
    ]);
  });

  it('--service-group-name without volume mode is a usage error', async () => {
    await expect(convertSnippet(compose, { serviceGroupName: 'x' })).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('bad kompose label values are errors naming file, line and label', () => {
  it.each([
    [{ 'kompose.service.type': 'bogus' }, 'docker-compose.yml:6 services.web.labels.kompose.service.type: "bogus" is not one of ClusterIP, NodePort, LoadBalancer, Headless'],
    [{ 'kompose.service.nodeport.port': '30080' }, 'docker-compose.yml:6 services.web.labels.kompose.service.nodeport.port: needs kompose.service.type: nodeport'],
    [{ 'kompose.service.type': 'nodeport', 'kompose.service.nodeport.port': 'high' }, 'docker-compose.yml:7 services.web.labels.kompose.service.nodeport.port: "high" is not a whole number from 1 to 65535'],
    [{ 'kompose.service.expose': 'not a host!' }, 'docker-compose.yml:6 services.web.labels.kompose.service.expose: "host!" is not a host name for an Ingress rule (like example.com or *.example.com), nor true'],
    [{ 'kompose.service.expose.tls-secret': 'tls' }, 'docker-compose.yml:6 services.web.labels.kompose.service.expose.tls-secret: needs kompose.service.expose (true or host names)'],
    [{ 'kompose.controller.type': 'job' }, 'docker-compose.yml:6 services.web.labels.kompose.controller.type: "job" is not one of deployment, statefulset, daemonset, replicationcontroller'],
    [{ 'kompose.cronjob.schedule': 'every day' }, expect.stringContaining('docker-compose.yml:6 services.web.labels.kompose.cronjob.schedule: "every day" is not a cron schedule')],
    [{ 'kompose.cronjob.schedule': '@daily', 'kompose.cronjob.concurrency_policy': 'Never' }, 'docker-compose.yml:7 services.web.labels.kompose.cronjob.concurrency_policy: "Never" is not one of Allow, Forbid, Replace'],
    [{ 'kompose.hpa.cpu': '150' }, 'docker-compose.yml:6 services.web.labels.kompose.hpa.cpu: "150" is not a percentage from 1 to 100'],
    [{ 'kompose.image-pull-policy': 'sometimes' }, 'docker-compose.yml:6 services.web.labels.kompose.image-pull-policy: "sometimes" is not one of Always, IfNotPresent, Never'],
    [{ 'kompose.volume.size': 'lots' }, 'docker-compose.yml:6 services.web.labels.kompose.volume.size: "lots" is not a Kubernetes quantity like 512Mi or 2Gi'],
    [{ 'kompose.volume.type': 'nfs' }, 'docker-compose.yml:6 services.web.labels.kompose.volume.type: "nfs" is not one of persistentVolumeClaim, emptyDir, hostPath, configMap'],
    [{ 'kompose.security-context.fsgroup': '-1' }, 'docker-compose.yml:6 services.web.labels.kompose.security-context.fsgroup: "-1" is not a whole number of at least 0'],
    [{ 'kompose.service.healthcheck.readiness.interval': 'soon' }, 'docker-compose.yml:6 services.web.labels.kompose.service.healthcheck.readiness.interval: "soon" is not a duration like 10s or 1m30s'],
    [{ 'kompose.service.healthcheck.liveness.http_get_path': '/health' }, 'docker-compose.yml:6 services.web.labels.kompose.service.healthcheck.liveness.http_get_path: needs kompose.service.healthcheck.liveness.http_get_port'],
  ])('%j', async (labels, expected) => {
    expect(await problemsOf(web(labels))).toEqual([expected]);
  });

  it('a list-form label is located at its own line', async () => {
    const problems = await problemsOf('services:\n  web:\n    image: nginx\n    labels:\n      - com.example=1\n      - kompose.service.type=bogus\n');
    expect(problems).toEqual([expect.stringMatching(/^docker-compose\.yml:6 services\.web\.labels\.kompose\.service\.type: /)]);
  });
});
