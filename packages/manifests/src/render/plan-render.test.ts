import { fileURLToPath } from 'node:url';
import { DEFAULT_IMAGES, isQedError, joinNodePath, QED_SERVICES, type QedError, toNodePath } from '@qed/core';
import { describe, expect, it } from 'vitest';
import {
  type KubeObject,
  LABEL_MANAGED_BY,
  LABEL_NAME,
  LABEL_PART_OF,
  splitApiVersion,
} from '../kube-object.js';
import { formatRenderedFile } from './format-rendered-file.js';
import { planRender } from './plan-render.js';
import { containersOf, isNamespaced, podTemplateOf, type Volume } from '../pod-spec.js';
import type { ManifestProfile, RenderOptions, RenderPlan } from './render-types.js';
import { requiredSecretKeys } from './required-secret-keys.js';

const MANIFESTS_DIR = fileURLToPath(new URL('../../../../manifests', import.meta.url));
const SECRETS = {
  DJANGO_SECRET_KEY: 'known-django-key-Zq81',
  POSTGRES_PASSWORD: 'known-pg-password-Xy42',
  GOOGLE_API_KEY: 'known-google-key-Wv93',
};

function options(overrides: Partial<RenderOptions> = {}): RenderOptions {
  return {
    manifestsDir: MANIFESTS_DIR,
    profile: 'local',
    namespace: 'qed',
    dataRoot: '/home/me/.qed/data',
    hostOs: 'linux',
    images: DEFAULT_IMAGES,
    secrets: SECRETS,
    ...overrides,
  };
}

function podVolumes(plan: RenderPlan): Volume[] {
  return plan.objects.flatMap((o) => podTemplateOf(o)?.template.spec?.volumes ?? []);
}

function containers(plan: RenderPlan) {
  return plan.objects.flatMap((object) => {
    const spec = podTemplateOf(object)?.template.spec;
    return spec ? containersOf(spec, []).map(({ container }) => ({ object, container })) : [];
  });
}

function ofKind(plan: RenderPlan, kind: string): KubeObject[] {
  return plan.objects.filter((o) => o.kind === kind);
}

async function caught(promise: Promise<unknown>): Promise<QedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isQedError(error)) throw new Error(`expected a QedError, got ${String(error)}`);
  return error;
}

describe('planRender', () => {
  it.each(['local', 'aws', 'azure'] as const)('renders every service for the %s profile', async (profile) => {
    const plan = await planRender(options({ profile }));
    const names = plan.files.map((f) => f.name);
    expect(names.slice(0, profile === 'local' ? 3 : 2)).toEqual(
      profile === 'local'
        ? ['00-namespace.yaml', 'persistent-volumes.yaml', 'qed-secrets.secret.yaml']
        : ['00-namespace.yaml', 'qed-secrets.secret.yaml'],
    );
    expect(
      names.filter(
        (n) => !n.startsWith('00-namespace') && !n.startsWith('persistent') && !n.startsWith('qed-secrets'),
      ),
    ).toEqual(QED_SERVICES.map((s) => `${s}.yaml`));
    expect(plan.objects).toEqual(plan.files.flatMap((f) => f.objects));
    expect(plan.requiredSecretKeys).toEqual(['DJANGO_SECRET_KEY', 'GOOGLE_API_KEY', 'POSTGRES_PASSWORD']);
    expect(plan.warnings).toEqual([]);
  });

  it('labels every object and every pod template, and selects on name and part-of', async () => {
    const plan = await planRender(options());
    for (const object of plan.objects) {
      expect(object.metadata.labels, object.kind + object.metadata.name).toMatchObject({
        [LABEL_PART_OF]: 'qed',
        [LABEL_MANAGED_BY]: 'qed-bootstrap',
      });
    }
    for (const file of plan.files.filter((f) => QED_SERVICES.some((s) => f.name === `${s}.yaml`))) {
      const service = file.name.replace(/\.yaml$/, '');
      const selector = { [LABEL_NAME]: service, [LABEL_PART_OF]: 'qed' };
      for (const object of file.objects) {
        expect(object.metadata.labels?.[LABEL_NAME]).toBe(service);
        const template = podTemplateOf(object)?.template;
        if (template) {
          expect(template.metadata?.labels).toEqual({ ...selector, [LABEL_MANAGED_BY]: 'qed-bootstrap' });
          expect((object.spec as { selector: unknown }).selector).toEqual({ matchLabels: selector });
        }
        if (object.kind === 'Service')
          expect((object.spec as { selector: unknown }).selector).toEqual(selector);
      }
    }
    for (const pv of ofKind(plan, 'PersistentVolume'))
      expect(QED_SERVICES).toContain(pv.metadata.labels?.[LABEL_NAME]);
  });

  it('sets the namespace on namespaced objects only, and renders the Namespace', async () => {
    const plan = await planRender(options({ namespace: 'qed-dev' }));
    expect(plan.files[0]).toEqual({
      name: '00-namespace.yaml',
      objects: [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: 'qed-dev',
            labels: { [LABEL_NAME]: 'qed', [LABEL_PART_OF]: 'qed', [LABEL_MANAGED_BY]: 'qed-bootstrap' },
          },
        },
      ],
    });
    const clusterScoped = plan.objects.filter((o) => !isNamespaced(o.kind));
    expect(new Set(clusterScoped.map((o) => o.kind))).toEqual(new Set(['Namespace', 'PersistentVolume']));
    for (const object of clusterScoped) expect(object.metadata.namespace).toBeUndefined();
    for (const object of plan.objects.filter((o) => isNamespaced(o.kind)))
      expect(object.metadata.namespace).toBe('qed-dev');
  });

  it('binds every claim of the local profile to its own hostPath volume under the data root, from both sides', async () => {
    const plan = await planRender(options({ namespace: 'qed' }));
    const claims = ofKind(plan, 'PersistentVolumeClaim');
    const volumes = ofKind(plan, 'PersistentVolume');
    // The six volumes of the guide: django, flask, celery, redis, mongodb, postgres.
    expect(volumes.map((v) => v.metadata.labels?.[LABEL_NAME]).sort()).toEqual([
      'celery',
      'django',
      'flask',
      'mongodb',
      'postgres',
      'redis',
    ]);
    expect(claims).toHaveLength(volumes.length);
    for (const claim of claims) {
      const spec = claim.spec as {
        storageClassName: string;
        volumeName: string;
        resources: { requests: { storage: string } };
      };
      const volume = volumes.find((v) => v.metadata.name === spec.volumeName);
      expect(volume, claim.metadata.name).toBeDefined();
      expect(spec.storageClassName).toBe('qed-local');
      expect(volume?.spec).toMatchObject({
        storageClassName: 'qed-local',
        capacity: { storage: spec.resources.requests.storage },
        persistentVolumeReclaimPolicy: 'Retain',
        claimRef: { kind: 'PersistentVolumeClaim', namespace: 'qed', name: claim.metadata.name },
        hostPath: {
          path: joinNodePath(toNodePath('/home/me/.qed/data', 'linux'), spec.volumeName),
          type: 'DirectoryOrCreate',
        },
      });
    }
  });

  it('turns a Windows data root into the path the minikube node sees', async () => {
    const plan = await planRender(options({ dataRoot: 'C:\\Users\\me\\.qed\\data', hostOs: 'windows' }));
    const paths = [
      ...ofKind(plan, 'PersistentVolume').map(
        (v) => (v.spec as { hostPath: { path: string } }).hostPath.path,
      ),
      ...podVolumes(plan).flatMap((v) => (v.hostPath ? [v.hostPath.path] : [])),
    ];
    expect(paths).toContain('/c/Users/me/.qed/data/qed-django-data');
    expect(paths).toContain('/c/Users/me/.qed/data/source/templates_qed');
    for (const p of paths) expect(p).toMatch(/^\/c\/Users\/me\/\.qed\/data\/[a-z0-9_-]+(\/[a-z0-9_-]+)?$/);
  });

  it.each([
    ['aws', 'gp3'],
    ['azure', 'managed-csi'],
  ] as const)(
    'gives the %s profile no PersistentVolume and no hostPath, only %s claims',
    async (profile, storageClassName) => {
      const plan = await planRender(options({ profile, dataRoot: 'relative/is/fine/here' }));
      expect(ofKind(plan, 'PersistentVolume')).toEqual([]);
      expect(plan.files.map((f) => f.name)).not.toContain('persistent-volumes.yaml');
      expect(JSON.stringify(plan.objects)).not.toContain('hostPath');
      for (const claim of ofKind(plan, 'PersistentVolumeClaim')) {
        expect(claim.spec).toMatchObject({ storageClassName });
        expect(claim.spec).not.toHaveProperty('volumeName');
      }
      // Host folders are left out with their mounts, so the image's own files are used.
      const django = plan.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'django');
      const podSpec = django ? podTemplateOf(django)?.template.spec : undefined;
      expect(podSpec?.volumes?.map((v) => v.name)).not.toContain('templates-qed');
      const mounts = (podSpec?.containers ?? []).flatMap((c) => c.volumeMounts ?? []).map((m) => m.mountPath);
      expect(mounts).not.toContain('/src/templates_qed');
      // What is not a host folder stays: the data claim and the secret key file.
      expect(podSpec?.volumes?.map((v) => v.name)).toEqual(expect.arrayContaining(['django-secrets']));
    },
  );

  it('rewrites only configured images, and only when a registry is given', async () => {
    const images = (plan: RenderPlan) =>
      [...new Set(containers(plan).map(({ container }) => container.image))].sort();
    expect(images(await planRender(options()))).toEqual([
      'mdillon/postgis:latest',
      'mher/flower:latest',
      'quanted/cts_celery:latest',
      'quanted/cts_nodejs:latest',
      'quanted/flask_qed:latest',
      'quanted/hms-dotnetcore:latest',
      'quanted/mongo:latest',
      'quanted/qed-dask:latest',
      'quanted/qed-django:latest',
      'quanted/qed-tomcat:latest',
      'quanted/qed_nginx:latest',
      'quanted/redis:latest',
    ]);
    const configured = [
      { name: 'qed-django', source: 'quanted/qed-django:latest' },
      { name: 'flask-qed', source: 'docker.io/quanted/flask_qed:v2' },
      { name: 'postgis', source: 'mdillon/postgis' },
    ];
    const plan = await planRender(options({ registry: 'localhost:5000', images: configured }));
    expect(images(plan)).toEqual([
      'localhost:5000/flask-qed:v2',
      'localhost:5000/postgis:latest',
      'localhost:5000/qed-django:latest',
      'mher/flower:latest',
      'quanted/cts_celery:latest',
      'quanted/cts_nodejs:latest',
      'quanted/hms-dotnetcore:latest',
      'quanted/mongo:latest',
      'quanted/qed-dask:latest',
      'quanted/qed-tomcat:latest',
      'quanted/qed_nginx:latest',
      'quanted/redis:latest',
    ]);
    // flask and celery share flask_qed; both follow it.
    const flaskImages = containers(plan)
      .filter(({ object }) => ['flask', 'celery'].includes(object.metadata.name))
      .map(({ container }) => container.image);
    expect(flaskImages).toEqual(['localhost:5000/flask-qed:v2', 'localhost:5000/flask-qed:v2']);
    expect(plan.warnings).toContain(
      'celery-flower: mher/flower:latest is not in config.images, so it is pulled from its own registry, not localhost:5000',
    );
    expect(images(await planRender(options({ images: configured })))).toContain('quanted/qed-django:latest');
  });

  it('renders only the selected services, with the volumes and secret keys they need', async () => {
    const plan = await planRender(options({ only: ['redis', 'postgres'] }));
    expect(plan.files.map((f) => f.name)).toEqual([
      '00-namespace.yaml',
      'persistent-volumes.yaml',
      'qed-secrets.secret.yaml',
      'redis.yaml',
      'postgres.yaml',
    ]);
    expect(ofKind(plan, 'PersistentVolume').map((v) => v.metadata.name)).toEqual([
      'qed-redis-data',
      'qed-postgres-data',
    ]);
    expect(plan.requiredSecretKeys).toEqual(['POSTGRES_PASSWORD']);
    expect(ofKind(plan, 'Secret')[0]?.stringData).toEqual({ POSTGRES_PASSWORD: SECRETS.POSTGRES_PASSWORD });

    const workersOnly = await planRender(options({ only: ['cts-worker'], secrets: {} }));
    expect(workersOnly.files.map((f) => f.name)).toEqual(['00-namespace.yaml', 'cts-worker.yaml']);
  });

  it('rejects an unknown service, listing the valid ones', async () => {
    const error = await caught(planRender(options({ only: ['django', 'qed-django', 'mysql'] })));
    expect(error.code).toBe('RENDER_UNKNOWN_SERVICE');
    expect(error.message).toBe('unknown services: qed-django, mysql');
    expect(error.hint).toBe(`Valid services: ${QED_SERVICES.join(', ')}.`);
  });

  it.each([
    [{ namespace: 'QED' }, 'RENDER_INVALID_NAMESPACE'],
    [{ registry: 'http://localhost:5000' }, 'RENDER_INVALID_REGISTRY'],
    [{ dataRoot: 'qed/data' }, 'RENDER_INVALID_DATA_ROOT'],
    [{ profile: 'gke' as ManifestProfile }, 'RENDER_UNKNOWN_PROFILE'],
    [{ manifestsDir: '/nonexistent/manifests' }, 'MANIFESTS_NOT_FOUND'],
  ])('rejects %j with %s', async (overrides, code) => {
    expect((await caught(planRender(options(overrides)))).code).toBe(code);
  });

  it('names missing secret keys, and no secret value ever reaches a warning or an error', async () => {
    const values = { ...SECRETS, UNUSED_TOKEN: 'known-unused-token-Tu55' };
    const plan = await planRender(options({ secrets: values, registry: 'localhost:5000' }));
    expect(plan.warnings).toContain('no service uses the secret key UNUSED_TOKEN; left out of qed-secrets');
    const secret = ofKind(plan, 'Secret')[0];
    expect(secret).toMatchObject({
      metadata: { name: 'qed-secrets', namespace: 'qed' },
      type: 'Opaque',
      stringData: SECRETS,
    });
    expect(secret).not.toHaveProperty('data');

    const { POSTGRES_PASSWORD: _, ...withoutPostgres } = values;
    const errors = await Promise.all([
      caught(planRender(options({ secrets: withoutPostgres }))),
      caught(planRender(options({ secrets: values, only: ['nope'] }))),
      caught(planRender(options({ secrets: values, namespace: 'Bad_NS' }))),
      caught(planRender(options({ secrets: values, dataRoot: 'relative' }))),
    ]);
    expect(errors[0]).toMatchObject({
      code: 'SECRETS_MISSING',
      message: 'no value for the secret POSTGRES_PASSWORD',
      data: { missing: ['POSTGRES_PASSWORD'] },
    });
    expect(errors[0]?.hint).toContain('QED_SECRET_POSTGRES_PASSWORD');
    const said = [
      ...plan.warnings,
      ...errors.flatMap((e) => [e.message, e.hint ?? '', JSON.stringify(e.toJSON()), String(e.stack)]),
    ].join('\n');
    for (const value of Object.values(values)) expect(said).not.toContain(value);
  });

  it('gives the same YAML every time', async () => {
    const render = async () =>
      (await planRender(options({ registry: 'localhost:5000' }))).files.map(formatRenderedFile).join('\n');
    const first = await render();
    expect(await render()).toBe(first);
  });

  it('takes every credential from qed-secrets, and lists every key the base references', async () => {
    expect(await requiredSecretKeys(MANIFESTS_DIR)).toEqual([
      'DJANGO_SECRET_KEY',
      'GOOGLE_API_KEY',
      'POSTGRES_PASSWORD',
    ]);
    const plan = await planRender(options());
    const text = JSON.stringify(plan.objects.filter((o) => o.kind !== 'Secret'));
    for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
    const refs = containers(plan).flatMap(({ container }) =>
      (container.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : [])),
    );
    expect(refs.map((r) => `${r.name}/${r.key}`).sort()).toEqual([
      'qed-secrets/DJANGO_SECRET_KEY',
      'qed-secrets/GOOGLE_API_KEY',
      'qed-secrets/POSTGRES_PASSWORD',
    ]);
    const secretVolumes = podVolumes(plan).filter((v) => v.secret);
    expect(secretVolumes.map((v) => v.secret?.secretName)).toEqual(['qed-secrets']);
  });

  it('requests modest resources on every container, and probes every port', async () => {
    const plan = await planRender(options());
    let cpu = 0;
    let memory = 0;
    for (const { object, container } of containers(plan)) {
      const requests = container.resources?.requests ?? {};
      expect(requests, `${object.metadata.name}/${container.name}`).toEqual({
        cpu: expect.stringMatching(/^\d+m$/),
        memory: expect.stringMatching(/^\d+Mi$/),
      });
      cpu += Number.parseInt(String(requests.cpu), 10);
      memory += Number.parseInt(String(requests.memory), 10);
      expect(container.image).toMatch(/:[\w.-]+$/);
      const ports = (container.ports ?? []).map((p) => p.containerPort);
      if (ports.length > 0) expect(ports).toContain(container.readinessProbe?.tcpSocket?.port);
      else expect(container.readinessProbe).toBeUndefined();
    }
    // Room left on a 4 CPU / 8 GiB minikube for the system pods and for bursts.
    expect(cpu).toBeLessThanOrEqual(2000);
    expect(memory).toBeLessThanOrEqual(5 * 1024);
  });

  it('names every object with a DNS label and exposes the guide’s ports', async () => {
    const plan = await planRender(options());
    for (const object of plan.objects)
      expect(object.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    const ports = Object.fromEntries(
      ofKind(plan, 'Service').map((s) => [
        s.metadata.labels?.[LABEL_NAME],
        (s.spec as { ports: Array<{ port: number; targetPort: number }> }).ports.map(
          (p) => `${p.port}>${p.targetPort}`,
        ),
      ]),
    );
    expect(ports).toEqual({
      nginx: ['80>80', '443>443', '7777>7777'],
      django: ['8080>8080'],
      flask: ['8080>8080'],
      'celery-flower': ['5555>5555'],
      'cts-nodejs': ['4000>4000'],
      redis: ['6379>6379'],
      mongodb: ['27017>27017'],
      'hms-dotnetcore': ['80>80'],
      'dask-scheduler': ['8786>8786', '8787>8787'],
      tomcat: ['80>8080', '8080>8080'],
      postgres: ['5432>5432'],
    });
    expect(ofKind(plan, 'StatefulSet').map((s) => s.metadata.name)).toEqual(['mongodb', 'postgres']);
    for (const object of plan.objects) expect(object.apiVersion).not.toMatch(/beta/);
  });

  it.each(['local', 'aws', 'azure'] as const)(
    'renders objects the Kubernetes schema accepts (%s)',
    async (profile) => {
      const plan = await planRender(options({ profile, registry: 'localhost:5000' }));
      for (const object of plan.objects) {
        const { group, version } = splitApiVersion(object.apiVersion);
        const specifier = `kubernetes-models/${group ? `${group}/` : ''}${version}/${object.kind}`;
        const module = (await import(/* @vite-ignore */ specifier)) as Record<
          string,
          new (
            data: unknown,
          ) => { validate(): void }
        >;
        const Model = module[object.kind];
        if (!Model) throw new Error(`no schema for ${object.kind}`);
        expect(() => new Model(object).validate(), `${object.kind} ${object.metadata.name}`).not.toThrow();
      }
    },
  );

  it('renders redis for the local profile as written here', async () => {
    const plan = await planRender(options({ only: ['redis'], registry: 'localhost:5000' }));
    const redis = plan.files.find((f) => f.name === 'redis.yaml');
    expect(redis && formatRenderedFile(redis)).toMatchInlineSnapshot(`
      "# Rendered by qed-bootstrap: redis.yaml. Edit manifests/base or manifests/profiles and render again.
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: redis
        namespace: qed
        labels:
          app.kubernetes.io/name: redis
          app.kubernetes.io/part-of: qed
          app.kubernetes.io/managed-by: qed-bootstrap
      spec:
        selector:
          app.kubernetes.io/name: redis
          app.kubernetes.io/part-of: qed
        ports:
          - name: redis
            port: 6379
            targetPort: 6379
      ---
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: redis-data
        namespace: qed
        labels:
          app.kubernetes.io/name: redis
          app.kubernetes.io/part-of: qed
          app.kubernetes.io/managed-by: qed-bootstrap
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        storageClassName: qed-local
        volumeName: qed-redis-data
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: redis
        namespace: qed
        labels:
          app.kubernetes.io/name: redis
          app.kubernetes.io/part-of: qed
          app.kubernetes.io/managed-by: qed-bootstrap
      spec:
        replicas: 1
        strategy:
          type: Recreate
        selector:
          matchLabels:
            app.kubernetes.io/name: redis
            app.kubernetes.io/part-of: qed
        template:
          metadata:
            labels:
              app.kubernetes.io/name: redis
              app.kubernetes.io/part-of: qed
              app.kubernetes.io/managed-by: qed-bootstrap
          spec:
            automountServiceAccountToken: false
            enableServiceLinks: false
            containers:
              - name: redis
                image: localhost:5000/redis:latest
                ports:
                  - name: redis
                    containerPort: 6379
                readinessProbe:
                  tcpSocket:
                    port: 6379
                  periodSeconds: 10
                resources:
                  requests:
                    cpu: 50m
                    memory: 64Mi
                volumeMounts:
                  - name: data
                    mountPath: /data
            volumes:
              - name: data
                persistentVolumeClaim:
                  claimName: redis-data
      "
    `);
  });
});
