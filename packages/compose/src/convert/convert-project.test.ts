import path from 'node:path';
import { isQedError } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { convertSnippet } from './convert-test-support.js';

const convert = convertSnippet;

describe('convertProject: services and their keys (the supported-keys table in docs/compose.md)', () => {
  it('names objects for Kubernetes and keeps the compose name in an annotation', async () => {
    const r = await convert('services:\n  qed_django:\n    image: quanted/qed_django\n    expose: ["8080"]\n');
    const deployment = r.get('Deployment', 'qed-django');
    expect(deployment.metadata.annotations?.['compose.qed-bootstrap/service']).toBe('qed_django');
    expect(deployment.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'qed-django', 'app.kubernetes.io/managed-by': 'qed-bootstrap' });
    expect(r.get('Service', 'qed-django').spec).toEqual({
      selector: { 'app.kubernetes.io/name': 'qed-django' },
      ports: [{ name: 'tcp-8080', port: 8080, targetPort: 8080, protocol: 'TCP' }],
    });
  });

  it('ports: the published port is the Service port, the target the container port', async () => {
    const r = await convert('services:\n  web:\n    image: nginx\n    ports: ["8085:80", "443", "53:53/udp"]\n');
    expect((r.get('Service', 'web').spec as { ports: unknown[] }).ports).toEqual([
      { name: 'tcp-8085', port: 8085, targetPort: 80, protocol: 'TCP' },
      { name: 'tcp-443', port: 443, targetPort: 443, protocol: 'TCP' },
      { name: 'udp-53', port: 53, targetPort: 53, protocol: 'UDP' },
    ]);
    expect(r.container('web').ports).toEqual([
      { containerPort: 80, protocol: 'TCP' },
      { containerPort: 443, protocol: 'TCP' },
      { containerPort: 53, protocol: 'UDP' },
    ]);
  });

  it('entrypoint -> command, command -> args, split as compose splits a string', async () => {
    const r = await convert(`services:\n  worker:\n    image: celery\n    entrypoint: ["/bin/sh", "-c"]\n    command: bash -c "sleep 3 && celery worker"\n`);
    expect(r.container('worker')).toMatchObject({ command: ['/bin/sh', '-c'], args: ['bash', '-c', 'sleep 3 && celery worker'] });
  });

  it('environment: plain values inline, secret-looking names through a Secret', async () => {
    const r = await convert('services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_USER: qed\n      POSTGRES_PASSWORD: hunter2\n      GOOGLE_API_KEY: abc\n');
    expect(r.container('db').env).toEqual([
      { name: 'POSTGRES_USER', value: 'qed' },
      { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'POSTGRES_PASSWORD' } } },
      { name: 'GOOGLE_API_KEY', valueFrom: { secretKeyRef: { name: 'db', key: 'GOOGLE_API_KEY' } } },
    ]);
    expect(r.get('Secret', 'db').data).toEqual({ POSTGRES_PASSWORD: Buffer.from('hunter2').toString('base64'), GOOGLE_API_KEY: Buffer.from('abc').toString('base64') });
  });

  it('working_dir, numeric user, hostname, labels, stop_grace_period, extra_hosts, dns, privileged, capabilities, tty', async () => {
    const r = await convert(
      [
        'services:',
        '  app:',
        '    image: app',
        '    working_dir: /src',
        '    user: "1000:2000"',
        '    hostname: app_host',
        '    labels: { com.example.team: qed, "bad key!": x }',
        '    stop_grace_period: 1m',
        '    extra_hosts: ["db.local:10.0.0.5", "cache.local:10.0.0.5"]',
        '    dns: 8.8.8.8',
        '    privileged: true',
        '    cap_add: [NET_ADMIN]',
        '    stdin_open: true',
        '    tty: true',
        '',
      ].join('\n'),
    );
    expect(r.container('app')).toMatchObject({ workingDir: '/src', securityContext: { runAsUser: 1000, runAsGroup: 2000, privileged: true, capabilities: { add: ['NET_ADMIN'] } }, stdin: true, tty: true });
    expect(r.podSpec('app')).toMatchObject({
      hostname: 'app-host',
      terminationGracePeriodSeconds: 60,
      hostAliases: [{ ip: '10.0.0.5', hostnames: ['db.local', 'cache.local'] }],
      dnsConfig: { nameservers: ['8.8.8.8'] },
    });
    expect(r.get('Deployment', 'app').metadata.annotations).toMatchObject({ 'com.example.team': 'qed' });
    expect(r.messages).toContain('services.app.labels: label bad key! is not a valid Kubernetes annotation key: left out');
  });

  it('healthcheck -> readiness probe; NONE -> no probe', async () => {
    const r = await convert(
      'services:\n  web:\n    image: nginx\n    healthcheck:\n      test: curl -f http://localhost/ || exit 1\n      interval: 1m30s\n      timeout: 10s\n      retries: 3\n      start_period: 40s\n  off:\n    image: nginx\n    healthcheck:\n      test: ["NONE"]\n',
    );
    expect(r.container('web').readinessProbe).toEqual({
      exec: { command: ['/bin/sh', '-c', 'curl -f http://localhost/ || exit 1'] },
      periodSeconds: 90,
      timeoutSeconds: 10,
      failureThreshold: 3,
      initialDelaySeconds: 40,
    });
    expect(r.container('off').readinessProbe).toBeUndefined();
  });

  it('deploy.resources, mem_limit and cpus -> resources; deploy.replicas over --replicas', async () => {
    const r = await convert(
      'services:\n  a:\n    image: a\n    mem_limit: 512m\n    cpus: 0.5\n    mem_reservation: 256m\n  b:\n    image: b\n    deploy:\n      replicas: 3\n      resources:\n        limits: { cpus: "2", memory: 1g }\n        reservations: { memory: 100M }\n      placement: { constraints: [node.role==manager] }\n',
      { replicas: 2 },
    );
    expect(r.container('a').resources).toEqual({ limits: { cpu: '500m', memory: '512Mi' }, requests: { memory: '256Mi' } });
    expect(r.container('b').resources).toEqual({ limits: { cpu: '2', memory: '1Gi' }, requests: { memory: '100Mi' } });
    expect((r.get('Deployment', 'a').spec as { replicas: number }).replicas).toBe(2);
    expect((r.get('Deployment', 'b').spec as { replicas: number }).replicas).toBe(3);
    expect(r.podSpec('b').affinity).toEqual({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] }] } },
    });
    expect(r.messages).toEqual([]);
  });

  it('reports every key it does not translate, naming service and key', async () => {
    const r = await convert('services:\n  web:\n    image: nginx\n    logging: { driver: syslog }\n    network_mode: host\n    ulimits: { nofile: 1024 }\n    restart: sometimes\n    user: www-data\n    colour: blue\n');
    expect(r.warnings.map((w) => [w.service, w.key, w.line])).toEqual(
      expect.arrayContaining([
        ['web', 'services.web.logging', 4],
        ['web', 'services.web.network_mode', 5],
        ['web', 'services.web.ulimits', 6],
        ['web', 'services.web.colour', 9],
        ['web', 'services.web.restart', 7],
        ['web', 'services.web.user', 8],
      ]),
    );
    expect(r.messages.find((m) => m.startsWith('services.web.colour'))).toContain('not a compose key');
  });

  it('refuses two services that collapse to one Kubernetes name', async () => {
    const error = await convert('services:\n  qed_django:\n    image: a\n  qed-django:\n    image: b\n').catch((e: unknown) => e);
    expect(isQedError(error) && error.message).toContain('both "qed_django" and "qed-django" become the Kubernetes name qed-django');
  });

  it('a build-only service gets an image name and a warning naming its context', async () => {
    const r = await convert('services:\n  qed_nginx:\n    build: ./qed_nginx\n');
    expect(r.container('qed-nginx').image).toBe('qed-nginx:latest');
    expect(r.messages.some((m) => m.includes('has only a build (context ./qed_nginx)'))).toBe(true);
  });

  it('statefulset on request', async () => {
    const r = await convert('services:\n  mongo:\n    image: mongo\n', { controller: 'statefulset' });
    expect(r.get('StatefulSet', 'mongo').spec).toMatchObject({ serviceName: 'mongo', replicas: 1 });
  });
});

describe('convertProject: volumes', () => {
  const compose = [
    'services:',
    '  django:',
    '    image: django',
    '    volumes:',
    '      - collected_static:/src/collected_static',
    '      - ./config:/src/config:ro',
    '      - /tmp/cache',
    '  nginx:',
    '    image: nginx',
    '    volumes_from: ["django:ro"]',
    'volumes:',
    '  collected_static: {}',
    '',
  ].join('\n');

  it('named volumes -> one claim shared by every service mounting it; volumes_from mounts them again, read-only', async () => {
    const r = await convert(compose);
    expect(r.get('PersistentVolumeClaim', 'collected-static').spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
    expect(r.objects.filter((o) => o.kind === 'PersistentVolume')).toEqual([]);
    expect(r.container('nginx').volumeMounts).toEqual([
      { name: 'collected-static', mountPath: '/src/collected_static', readOnly: true },
      { name: 'bind-1', mountPath: '/src/config', readOnly: true },
      { name: 'scratch-2', mountPath: '/tmp/cache', readOnly: true },
    ]);
    expect(r.podSpec('django').volumes).toEqual([
      { name: 'collected-static', persistentVolumeClaim: { claimName: 'collected-static' } },
      { name: 'bind-1', hostPath: { path: path.join(r.dir, 'config') } },
      { name: 'scratch-2', emptyDir: {} },
    ]);
    expect(r.messages.some((m) => m.startsWith('services.django.volumes: bind mounts become hostPath volumes') && m.includes('./config -> /src/config'))).toBe(true);
    expect(r.messages.some((m) => m.includes('anonymous volume /tmp/cache of django cannot be shared'))).toBe(true);
    expect((r.get('Deployment', 'django').spec as { strategy: unknown }).strategy).toEqual({ type: 'Recreate' });
  });

  it('with a data root (the local profile) each claim gets its own hostPath PersistentVolume, bound both ways', async () => {
    const r = await convert(compose, { dataRoot: '/home/dev/.qed/data' });
    expect(r.get('PersistentVolumeClaim', 'collected-static').spec).toMatchObject({ storageClassName: '', volumeName: 'qed-collected-static' });
    expect(r.get('PersistentVolume', 'qed-collected-static').spec).toMatchObject({
      claimRef: { namespace: 'qed', name: 'collected-static' },
      hostPath: { path: '/home/dev/.qed/data/qed-collected-static', type: 'DirectoryOrCreate' },
      storageClassName: '',
      persistentVolumeReclaimPolicy: 'Retain',
    });
  });

  it('--volumes hostPath puts named volumes under the data root; --volumes emptyDir makes them scratch', async () => {
    const hostPath = await convert(compose, { volumes: 'hostPath', dataRoot: '/data' });
    expect(hostPath.podSpec('django').volumes).toContainEqual({ name: 'collected-static', hostPath: { path: '/data/collected-static', type: 'DirectoryOrCreate' } });
    expect(hostPath.objects.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
    const emptyDir = await convert(compose, { volumes: 'emptyDir' });
    expect(emptyDir.podSpec('django').volumes).toContainEqual({ name: 'collected-static', emptyDir: {} });
  });

  it('--bind-files configmap turns a bind-mounted single file into a ConfigMap mounted by subPath', async () => {
    const r = await convert('services:\n  nginx:\n    image: nginx\n    volumes: ["./nginx.conf:/etc/nginx/nginx.conf:ro", "./site:/usr/share/nginx/html"]\n', { bindFiles: 'configmap' }, { 'nginx.conf': 'events {}\n' });
    expect(r.get('ConfigMap', 'nginx-nginx-conf').data).toEqual({ 'nginx.conf': 'events {}\n' });
    expect(r.container('nginx').volumeMounts).toContainEqual({ name: 'bind-0', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf', readOnly: true });
    // a folder (here: one that does not exist) stays a hostPath
    expect(r.podSpec('nginx').volumes).toContainEqual({ name: 'bind-1', hostPath: { path: path.join(r.dir, 'site') } });
  });

  it('reports long-syntax settings and short-syntax modes it cannot carry over', async () => {
    const r = await convert('services:\n  web:\n    image: nginx\n    volumes:\n      - /srv:/srv:ro,z\n      - { type: bind, source: /data, target: /data, bind: { propagation: rshared } }\n');
    expect(r.messages).toEqual(
      expect.arrayContaining([
        'services.web.volumes[0]: mount option z of "/srv:/srv:ro,z" not translated: SELinux labels, consistency and nocopy are not pod settings',
        "services.web.volumes[1].bind: bind is not translated: a pod's volume mount has no such setting",
      ]),
    );
  });

  it('an external volume is mounted by its claim name, and no claim is generated (with a warning)', async () => {
    const r = await convert('services:\n  db:\n    image: mongo\n    volumes: ["shared:/data"]\n  backup:\n    image: b\n    volumes: ["shared:/backup:ro"]\nvolumes:\n  shared: { external: true }\n');
    expect(r.podSpec('db').volumes).toEqual([{ name: 'shared', persistentVolumeClaim: { claimName: 'shared' } }]);
    expect(r.objects.filter((o) => o.kind === 'PersistentVolumeClaim' || o.kind === 'PersistentVolume')).toEqual([]);
    expect(r.messages.filter((m) => m.startsWith('volumes.shared.external'))).toHaveLength(1);
  });

  it('refuses two mounts at one path, naming both, rather than keep one and drop the other in silence', async () => {
    const error = await convert('services:\n  web:\n    image: nginx\n    volumes:\n      - data:/srv\n      - ./logs:/srv\nvolumes:\n  data: {}\n').catch((e: unknown) => e);
    expect(isQedError(error) && error.message).toMatch(
      /docker-compose\.yml:6:9 services\.web\.volumes: bind \S*logs and volume data are both mounted at \/srv: a path takes one mount/,
    );
  });

  it('--volumes hostPath without a data root is a usage error, not a crash', async () => {
    const error = await convert('services:\n  db:\n    image: mongo\n    volumes: ["data:/data"]\n', { volumes: 'hostPath' }).catch((e: unknown) => e);
    expect(isQedError(error) && error.code).toBe('USAGE');
  });

  it('a local volume that binds a device is that host folder', async () => {
    const r = await convert('services:\n  db:\n    image: mongo\n    volumes: ["mongo:/data/db"]\nvolumes:\n  mongo:\n    driver: local\n    driver_opts: { type: none, o: bind, device: /srv/mongo }\n');
    expect(r.podSpec('db').volumes).toEqual([{ name: 'mongo', hostPath: { path: '/srv/mongo', type: 'DirectoryOrCreate' } }]);
  });
});

describe('convertProject: links, depends_on and aliases', () => {
  it('keeps ordering in an annotation and makes a Service for each alias', async () => {
    const r = await convert(
      'services:\n  qed_django:\n    image: django\n    expose: ["8080"]\n  redis:\n    image: redis\n    container_name: qed-redis\n    expose: ["6379"]\n  nginx:\n    image: nginx\n    links: ["qed_django:uwsgi_django", "redis"]\n    depends_on: [redis]\n  worker:\n    image: w\n    links: [ghost]\n',
    );
    expect(r.get('Deployment', 'nginx').metadata.annotations?.['compose.qed-bootstrap/depends-on']).toBe('redis,qed-django');
    expect(r.get('Service', 'uwsgi-django')).toMatchObject({
      metadata: { annotations: { 'compose.qed-bootstrap/alias-of': 'qed-django', 'compose.qed-bootstrap/service': 'uwsgi_django' } },
      spec: { selector: { 'app.kubernetes.io/name': 'qed-django' } },
    });
    expect(r.get('Service', 'qed-redis').spec).toMatchObject({ selector: { 'app.kubernetes.io/name': 'redis' } });
    expect(r.messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('link alias in nginx uwsgi_django is reachable as uwsgi-django'),
        expect.stringContaining('links to "ghost", which is not a service here'),
      ]),
    );
  });

  it('warns when an environment value names a service by its compose name', async () => {
    const r = await convert('services:\n  cts_nodejs:\n    image: node\n    expose: ["4000"]\n  web:\n    image: w\n    environment: [NODEJS_HOST=cts_nodejs, "URL=http://cts_nodejs:4000/x", "MODULE=cts_nodejs.settings"]\n');
    const renamed = r.messages.filter((m) => m.includes('reachable as cts-nodejs'));
    expect(renamed.map((m) => m.split(' names')[0])).toEqual(['services.web.environment: NODEJS_HOST=cts_nodejs', 'services.web.environment: URL=http://cts_nodejs:4000/x']);
  });
});
