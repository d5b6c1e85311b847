import { describe, expect, it } from 'vitest';
import { convertSnippet, problemsOf } from './convert-test-support.js';

type Fields = Record<string, unknown>;

/** `services:` with one service `app` (image app) and these keys, indented under it. */
function app(keys: string, more = ''): string {
  return `services:\n  app:\n    image: app\n${keys
    .split('\n')
    .filter(Boolean)
    .map((line) => `    ${line}`)
    .join('\n')}\n${more}`;
}

describe('network_mode: service:X -> the container joins X’s pod', () => {
  const compose = [
    'services:',
    '  vpn:',
    '    image: vpn',
    '    ports: ["8080:80"]',
    '  web:',
    '    image: nginx',
    '    network_mode: "service:vpn"',
    '  probe:',
    '    image: busybox',
    '    network_mode: service:web',
    '',
  ].join('\n');

  it('one pod, a container per service (followed through chains), no workload of their own', async () => {
    const r = await convertSnippet(compose);
    expect(r.kinds()).toEqual(['Service/vpn', 'Deployment/vpn']);
    expect((r.podSpec('vpn').containers as Fields[]).map((c) => c.name)).toEqual(['vpn', 'web', 'probe']);
    expect(r.get('Deployment', 'vpn').metadata.annotations?.['compose.qed-bootstrap/service']).toBe('vpn,web,probe');
    expect(r.messages).toEqual([]);
  });

  it('the joining service’s ports are reached through the shared pod', async () => {
    const r = await convertSnippet(compose.replace('    network_mode: "service:vpn"', '    network_mode: "service:vpn"\n    expose: ["9000"]'));
    expect(r.get('Service', 'web').spec).toMatchObject({ selector: { 'app.kubernetes.io/name': 'vpn' } });
  });

  it('joins the group of the service it names; its own kompose.service.group is not used (warned)', async () => {
    const r = await convertSnippet(
      'services:\n  a:\n    image: a\n    labels: { kompose.service.group: front }\n  b:\n    image: b\n    network_mode: service:a\n    labels: { kompose.service.group: other }\n',
    );
    expect(r.kinds()).toEqual(['Deployment/front']);
    expect(r.messages).toEqual(['services.b.labels.kompose.service.group: not used: network_mode service:a puts b in the pod of a']);
  });

  it('a loop is refused', async () => {
    expect(await problemsOf('services:\n  a:\n    image: a\n    network_mode: service:b\n  b:\n    image: b\n    network_mode: service:a\n')).toEqual([
      'docker-compose.yml:4 services.a.network_mode: network_mode loops: a -> b -> a',
      'docker-compose.yml:7 services.b.network_mode: network_mode loops: b -> a -> b',
    ]);
  });

  it.each([
    ['host', { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }, 'host: the pod uses the network of the node it runs on (hostNetwork), and its ports are bound there'],
    ['none', {}, 'none is not translated: every pod is on the cluster network; a NetworkPolicy can cut it off'],
    ['"container:abc"', {}, 'container:abc is not translated: that container is not part of the project; use service:NAME for a service here'],
    ['bridge', {}, undefined],
  ])('network_mode %s', async (mode, pod, message) => {
    const r = await convertSnippet(app(`network_mode: ${mode}`));
    expect(r.podSpec('app')).toMatchObject(pod);
    expect(r.messages).toEqual(message ? [`services.app.network_mode: ${message}`] : []);
  });
});

describe('networks -> NetworkPolicies (--generate-network-policies)', () => {
  const compose = [
    'name: shop',
    'services:',
    '  web:',
    '    image: nginx',
    '    ports: ["8080:80"]',
    '    networks: [front]',
    '  api:',
    '    image: api',
    '    expose: ["9000"]',
    '    networks:',
    '      front: {}',
    '      back: { aliases: [backend] }',
    '  db:',
    '    image: postgres',
    '    expose: ["5432"]',
    '    networks: [back]',
    '  cron:',
    '    image: cron',
    'networks:',
    '  front: {}',
    '  back:',
    '    name: shop-private',
    '    driver: bridge',
    '    ipam: { config: [{ subnet: 10.5.0.0/16 }] }',
    '',
  ].join('\n');

  it('one policy per network, letting the pods on it (labelled per network) reach each other and nothing else', async () => {
    const r = await convertSnippet(compose, { networkPolicies: true });
    const podLabels = (name: string) => ((r.get('Deployment', name).spec as Fields).template as { metadata: { labels: Record<string, string> } }).metadata.labels;
    expect(podLabels('web')).toMatchObject({ 'compose.qed-bootstrap/network-front': 'true' });
    expect(podLabels('api')).toMatchObject({ 'compose.qed-bootstrap/network-front': 'true', 'compose.qed-bootstrap/network-back': 'true' });
    expect(podLabels('db')).not.toHaveProperty('compose.qed-bootstrap/network-front');
    // A service that names no network is on compose's default one.
    expect(podLabels('cron')).toMatchObject({ 'compose.qed-bootstrap/network-default': 'true' });
    expect(r.get('NetworkPolicy', 'shop-front').spec).toEqual({
      podSelector: { matchLabels: { 'compose.qed-bootstrap/network-front': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { 'compose.qed-bootstrap/network-front': 'true' } } }] }],
    });
    // A network's name: names its policy, as compose names the network.
    expect(r.find('NetworkPolicy', 'shop-private')).toBeDefined();
    expect(r.find('NetworkPolicy', 'shop-default')).toBeDefined();
    // A published port is reachable from outside in compose: so is it here.
    expect(r.get('NetworkPolicy', 'web-published').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }],
    });
    expect(r.find('NetworkPolicy', 'api-published')).toBeUndefined();
    // Aliases still become Services.
    expect(r.find('Service', 'backend')).toBeDefined();
    expect(r.messages).toEqual(['networks.back.ipam: ipam is not translated: network drivers, address plans and options have no NetworkPolicy counterpart']);
  });

  it('without the flag: no policies, and the networks that would separate services are named with the flag', async () => {
    const r = await convertSnippet(compose);
    expect(r.objects.filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
    expect(r.messages).toEqual(
      expect.arrayContaining([
        'services.web.networks: networks front are not separated: all pods share one cluster network; pass --generate-network-policies for a NetworkPolicy per network',
        'services.api.networks: networks front, back are not separated: all pods share one cluster network; pass --generate-network-policies for a NetworkPolicy per network',
        'networks: top-level networks front, back are not translated: all pods share one cluster network; pass --generate-network-policies for a NetworkPolicy per network',
      ]),
    );
  });

  it('fixed addresses are warned; an external network says that only this project’s pods are on it', async () => {
    const r = await convertSnippet('services:\n  web:\n    image: nginx\n    networks:\n      lan: { ipv4_address: 10.0.0.5 }\nnetworks:\n  lan: { external: true }\n', { networkPolicies: true });
    expect(r.messages).toEqual([
      'services.web.networks.lan.ipv4_address: networks.lan.ipv4_address is not translated: pods get their addresses and interfaces from the cluster network',
      "networks.lan.external: external network: only this project's pods on it can reach each other; containers outside the project are not in the cluster",
    ]);
  });

  it('a pod shared through network_mode is on the networks of the service it joins', async () => {
    const r = await convertSnippet('name: p\nservices:\n  a:\n    image: a\n    networks: [x]\n  b:\n    image: b\n    network_mode: service:a\nnetworks:\n  x: {}\n', { networkPolicies: true });
    expect(r.kinds()).toEqual(['Deployment/a', 'NetworkPolicy/p-x']);
    expect(((r.get('Deployment', 'a').spec as Fields).template as { metadata: { labels: Fields } }).metadata.labels).toMatchObject({ 'compose.qed-bootstrap/network-x': 'true' });
  });
});

describe('deploy.mode global -> DaemonSet', () => {
  it('one pod on every node; deploy.replicas does not apply (warned)', async () => {
    const r = await convertSnippet(app('deploy: { mode: global, replicas: 2 }'));
    expect(r.kinds()).toEqual(['DaemonSet/app']);
    expect(r.messages).toEqual(['services.app.deploy: deploy.replicas 2 does not apply to a DaemonSet, which runs one pod on every node']);
  });

  it('kompose.controller.type wins, with a warning', async () => {
    const r = await convertSnippet(app('deploy: { mode: global }\nlabels: { kompose.controller.type: deployment }'));
    expect(r.kinds()).toEqual(['Deployment/app']);
    expect(r.messages).toEqual(['services.app.deploy: deploy.mode global (one pod on every node) is not used: kompose.controller.type says deployment']);
  });

  it('wins over --controller statefulset, with a warning', async () => {
    const r = await convertSnippet(app('deploy: { mode: global }'), { controller: 'statefulset' });
    expect(r.kinds()).toEqual(['DaemonSet/app']);
    expect(r.messages).toEqual(['services.app.deploy: deploy.mode global makes a DaemonSet (one pod on every node); --controller statefulset is not used for it']);
  });

  it('a mode compose does not know is warned', async () => {
    const r = await convertSnippet(app('deploy: { mode: sometimes }'));
    expect(r.kinds()).toEqual(['Deployment/app']);
    expect(r.messages).toEqual(['services.app.deploy: deploy.mode sometimes is not a compose mode (replicated, global, replicated-job, global-job): a Deployment keeps it running']);
  });
});

describe('deploy.mode replicated-job / global-job -> Job', () => {
  const job = async (keys: string, options = {}) => {
    const r = await convertSnippet(app(keys), options);
    return { ...r, spec: r.find('Job', 'app')?.spec as Fields | undefined };
  };

  it.each([
    ['replicated-job: one pod, retried on failure', 'deploy: { mode: replicated-job }', { template: { spec: { restartPolicy: 'OnFailure' } } }, []],
    ['replicated-job: deploy.replicas -> completions and parallelism', 'deploy: { mode: replicated-job, replicas: 3 }', { completions: 3, parallelism: 3 }, []],
    ['replicated-job: restart no is never retried', 'restart: "no"\ndeploy: { mode: replicated-job }', { backoffLimit: 0, template: { spec: { restartPolicy: 'Never' } } }, []],
    ['replicated-job: restart_policy max_attempts -> backoffLimit', 'deploy: { mode: replicated-job, restart_policy: { condition: on-failure, max_attempts: 2 } }', { backoffLimit: 2 }, []],
    [
      'global-job: one run, warned',
      'deploy: { mode: global-job }',
      { template: { spec: { restartPolicy: 'OnFailure' } } },
      [
        'services.app.deploy: deploy.mode global-job (one run on every node) has no Kubernetes form: a Job runs it once, in one pod; for a run on each node, make it a DaemonSet (deploy.mode global) that runs the task and then sleeps',
      ],
    ],
  ])('%s', async (_, keys, expected, messages) => {
    const r = await job(keys);
    expect(r.kinds()).toEqual(['Job/app']);
    expect(r.spec).toMatchObject(expected);
    expect(r.messages).toEqual(messages);
  });

  it('global-job ignores --replicas: one pod', async () => {
    const r = await job('deploy: { mode: global-job }', { replicas: 3 });
    expect(r.spec).not.toHaveProperty('completions');
  });

  it('--run-once pod makes a bare Pod of a replicated-job, as of any run-once service', async () => {
    const r = await convertSnippet(app('deploy: { mode: replicated-job }'), { runOnce: 'pod' });
    expect(r.kinds()).toEqual(['Pod/app']);
  });
});

describe('deploy.placement -> nodeSelector, node affinity, topology spread', () => {
  const expressions = (r: Awaited<ReturnType<typeof convertSnippet>>) =>
    (((r.podSpec('app').affinity as Fields | undefined)?.nodeAffinity as Fields | undefined)?.requiredDuringSchedulingIgnoredDuringExecution as { nodeSelectorTerms: Array<{ matchExpressions: unknown[] }> } | undefined)
      ?.nodeSelectorTerms[0]?.matchExpressions;

  it.each([
    ['node.hostname == node1', { 'kubernetes.io/hostname': 'node1' }, undefined],
    ['node.labels.disk==ssd', { disk: 'ssd' }, undefined],
    ['node.platform.os == Linux', { 'kubernetes.io/os': 'linux' }, undefined],
    ['node.platform.arch == x86_64', { 'kubernetes.io/arch': 'amd64' }, undefined],
    ['node.labels.disk != hdd', undefined, [{ key: 'disk', operator: 'NotIn', values: ['hdd'] }]],
    ['node.role == manager', undefined, [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }]],
    ['node.role == worker', undefined, [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }]],
    ['node.role != manager', undefined, [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }]],
  ])('%s', async (constraint, nodeSelector, matchExpressions) => {
    const r = await convertSnippet(app(`deploy:\n  placement:\n    constraints: ["${constraint}"]`));
    expect(r.podSpec('app').nodeSelector).toEqual(nodeSelector);
    expect(expressions(r)).toEqual(matchExpressions);
    expect(r.messages).toEqual([]);
  });

  it('several at once: == as nodeSelector, the rest as one affinity term (all must hold)', async () => {
    const r = await convertSnippet(app('deploy:\n  placement:\n    constraints: [node.labels.zone == a, node.labels.zone != b, node.labels.gpu == "true", node.role == worker]'));
    expect(r.podSpec('app').nodeSelector).toEqual({ zone: 'a', gpu: 'true' });
    expect(expressions(r)).toEqual([
      { key: 'zone', operator: 'NotIn', values: ['b'] },
      { key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' },
    ]);
  });

  it.each([
    ['node.id == 2ivku8v2gvtg4', 'constraint "node.id == 2ivku8v2gvtg4" is not translated: node.id has no Kubernetes node label (node.hostname, node.role, node.labels.*, node.platform.os and .arch have)'],
    ['node.role == boss', 'constraint "node.role == boss" is not translated: node.role is manager or worker, not "boss"'],
    ['node.labels.disk', 'constraint "node.labels.disk" is not translated: write it as LABEL == VALUE or LABEL != VALUE'],
    ['node.labels.disk == "fast disk"', 'constraint "node.labels.disk == "fast disk"" is not translated: "fast disk" is not a valid node label value'],
  ])('%s is warned', async (constraint, message) => {
    const r = await convertSnippet(app(`deploy:\n  placement:\n    constraints: ['${constraint}']`));
    expect(r.podSpec('app').nodeSelector).toBeUndefined();
    expect(r.messages).toEqual([`services.app.deploy.placement: ${message}`]);
  });

  it('spread preferences -> topology spread constraints, the first the strictest', async () => {
    const r = await convertSnippet(app('deploy:\n  placement:\n    preferences: [{ spread: node.labels.zone }, { spread: node.labels.rack }]'));
    expect(r.podSpec('app').topologySpreadConstraints).toEqual([
      { maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'app' } } },
      { maxSkew: 1, topologyKey: 'rack', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'app' } } },
    ]);
  });
});

describe('deploy.labels -> labels of the workload', () => {
  it('as kompose puts them; ours win; kompose.* steer instead; an invalid one is warned', async () => {
    const r = await convertSnippet(app('deploy:\n  labels:\n    com.example.team: shop\n    app.kubernetes.io/name: other\n    kompose.ephemeral-storage.limit: 1Gi\n    note: "not a label value!"'));
    expect(r.get('Deployment', 'app').metadata.labels).toEqual({
      'com.example.team': 'shop',
      'app.kubernetes.io/name': 'app',
      'app.kubernetes.io/part-of': expect.any(String),
      'app.kubernetes.io/managed-by': 'qed-bootstrap',
    });
    expect(r.messages).toEqual([
      'services.app.deploy.labels: note: not a label value! is not a valid Kubernetes label (key, or a value of at most 63 letters, digits, "-", "_" and "."): left out',
    ]);
  });
});

describe('restart no / on-failure -> a Job (a bare Pod with --run-once pod)', () => {
  const jobSpec = (r: Awaited<ReturnType<typeof convertSnippet>>) => r.get('Job', 'app').spec as Fields;

  it.each([
    ['restart: "no"', { backoffLimit: 0 }, 'Never'],
    ['restart: on-failure', {}, 'OnFailure'],
    ['restart: on-failure:3', { backoffLimit: 3 }, 'OnFailure'],
    ['deploy: { restart_policy: { condition: none } }', { backoffLimit: 0 }, 'Never'],
    ['deploy: { restart_policy: { condition: on-failure, max_attempts: 5 } }', { backoffLimit: 5 }, 'OnFailure'],
    ['restart: always\ndeploy: { restart_policy: { condition: on-failure } }', {}, 'OnFailure'],
    ['restart: "no"\ndeploy: { replicas: 3 }', { completions: 3, parallelism: 3, backoffLimit: 0 }, 'Never'],
  ])('%s', async (keys, spec, restartPolicy) => {
    const r = await convertSnippet(app(keys));
    expect(r.kinds()).toEqual(['Job/app']);
    expect(jobSpec(r)).toMatchObject(spec);
    expect(Object.keys(jobSpec(r)).filter((k) => !['template', ...Object.keys(spec)].includes(k))).toEqual([]);
    expect(r.podSpec('app', 'Job').restartPolicy).toBe(restartPolicy);
    expect(r.messages).toEqual([]);
  });

  it('deploy.restart_policy condition any keeps it running, over restart: no (as in kompose)', async () => {
    const r = await convertSnippet(app('restart: "no"\ndeploy: { restart_policy: { condition: any } }'));
    expect(r.kinds()).toEqual(['Deployment/app']);
  });

  it('--run-once pod: a bare Pod, as kompose makes it', async () => {
    const r = await convertSnippet(app('restart: on-failure:2\nports: ["80"]'), { runOnce: 'pod' });
    expect(r.kinds()).toEqual(['Service/app', 'Pod/app']);
    const pod = r.get('Pod', 'app');
    expect(pod.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'app' });
    expect(pod.spec).toMatchObject({ restartPolicy: 'OnFailure', containers: [{ name: 'app', image: 'app' }] });
    expect(r.messages).toEqual(['services.app.restart: restart: on-failure:2: a bare Pod is restarted without a limit on failure (a Job counts retries)']);
  });

  it('--run-once controller: the --controller workload, whose pods always restart (warned)', async () => {
    const r = await convertSnippet(app('restart: "no"'), { runOnce: 'controller' });
    expect(r.kinds()).toEqual(['Deployment/app']);
    expect(r.messages).toEqual([
      "services.app.restart: restart: no is not translated: a Deployment's pods always restart (it shares its pod with a service that keeps running, or --run-once controller asks for it; a Job runs once)",
    ]);
  });

  it('kompose.controller.type wins (warned); a pod shared with a service that keeps running stays a Deployment', async () => {
    const labelled = await convertSnippet(app('restart: "no"\nlabels: { kompose.controller.type: statefulset }'));
    expect(labelled.kinds()).toEqual(['StatefulSet/app']);
    expect(labelled.messages).toEqual(["services.app.restart: restart: no is not translated: a StatefulSet's pods always restart (kompose.controller.type asks for it)"]);
    const shared = await convertSnippet('services:\n  a:\n    image: a\n  b:\n    image: b\n    restart: "no"\n    network_mode: service:a\n');
    expect(shared.kinds()).toEqual(['Deployment/a']);
  });

  it('a restart policy compose does not know is warned', async () => {
    const r = await convertSnippet(app('restart: sometimes'));
    expect(r.kinds()).toEqual(['Deployment/app']);
    expect(r.messages).toEqual(['services.app.restart: restart: "sometimes" is not a compose restart policy (no, always, on-failure, unless-stopped)']);
  });

  it('an unknown restart_policy condition is refused', async () => {
    expect(await problemsOf(app('deploy: { restart_policy: { condition: never } }'))).toEqual([
      'docker-compose.yml:4 services.app.deploy.restart_policy.condition: must be none, on-failure or any, not "never"',
    ]);
  });
});

describe('read_only, group_add, domainname', () => {
  it('read_only -> readOnlyRootFilesystem', async () => {
    const r = await convertSnippet(app('read_only: true\nuser: "1000"'));
    expect(r.container('app').securityContext).toEqual({ runAsUser: 1000, readOnlyRootFilesystem: true });
  });

  it('group_add -> supplementalGroups (beside fsGroup); names are warned', async () => {
    const r = await convertSnippet(app('group_add: ["1000", audio, "1000", 44]\nlabels: { kompose.security-context.fsgroup: "2000" }'));
    expect(r.podSpec('app').securityContext).toEqual({ fsGroup: 2000, supplementalGroups: [1000, 44] });
    expect(r.messages).toEqual(['services.app.group_add: group audio is not translated: Kubernetes needs numeric group ids (supplementalGroups); look the id up in the image']);
  });

  it('domainname -> the pod’s subdomain (one DNS label), as kompose makes it', async () => {
    const r = await convertSnippet(app('hostname: web\ndomainname: example.com'));
    expect(r.podSpec('app')).toMatchObject({ hostname: 'web', subdomain: 'example-com' });
    expect(r.messages).toEqual([
      "services.app.domainname: example.com becomes the pod's subdomain example-com: its name is web.example-com.<namespace>.svc.<cluster domain>, resolvable when a headless Service named example-com selects it",
    ]);
  });
});

describe('--volumes configMap: bind-mounted files and folders as ConfigMaps', () => {
  const files = { 'site/index.html': '<h1>hi</h1>\n', 'site/css/main.css': 'body {}\n', 'site/img.bin': Buffer.from([0, 0xff, 0xfe]), 'nginx.conf': 'events {}\n' };
  const compose = app('volumes:\n  - ./site:/usr/share/nginx/html:ro\n  - ./nginx.conf:/etc/nginx/nginx.conf:ro\n  - ./missing:/data\n  - cache:/cache', 'volumes:\n  cache: {}\n');

  it('a folder: one ConfigMap of its files (nested ones by their path), the whole volume at the target', async () => {
    const r = await convertSnippet(compose, { volumes: 'configMap' }, files);
    const site = r.get('ConfigMap', 'app-site');
    expect(site.data).toEqual({ 'css.main.css': 'body {}\n', 'index.html': '<h1>hi</h1>\n' });
    expect(Object.keys(site.binaryData as Fields)).toEqual(['img.bin']);
    expect(r.podSpec('app').volumes).toEqual([
      {
        name: 'bind-0',
        configMap: {
          name: 'app-site',
          items: [
            { key: 'css.main.css', path: 'css/main.css' },
            { key: 'img.bin', path: 'img.bin' },
            { key: 'index.html', path: 'index.html' },
          ],
        },
      },
      { name: 'bind-1', configMap: { name: 'app-nginx-conf' } },
      { name: 'bind-2', hostPath: { path: expect.stringMatching(/missing$/) } },
      { name: 'cache', persistentVolumeClaim: { claimName: 'cache' } },
    ]);
    expect(r.container('app').volumeMounts).toEqual([
      { name: 'bind-0', mountPath: '/usr/share/nginx/html', readOnly: true },
      { name: 'bind-1', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf', readOnly: true },
      { name: 'bind-2', mountPath: '/data' },
      { name: 'cache', mountPath: '/cache' },
    ]);
    expect(r.messages).toEqual(
      expect.arrayContaining([
        'services.app.volumes: --volumes configMap applies to bind mounts; named volumes stay persistentVolumeClaim',
        'services.app.volumes: ./missing stays a hostPath, not a ConfigMap: it does not exist on this machine',
      ]),
    );
  });

  it('a folder of flat files needs no items; a writable mount is warned (ConfigMaps are read-only)', async () => {
    const r = await convertSnippet(app('volumes: ["./conf:/etc/app"]'), { volumes: 'configMap' }, { 'conf/a.ini': 'a=1\n', 'conf/b.ini': 'b=2\n' });
    expect(r.podSpec('app').volumes).toEqual([{ name: 'bind-0', configMap: { name: 'app-conf' } }]);
    expect(r.messages).toEqual(['services.app.volumes: ./conf -> /etc/app becomes ConfigMap app-conf, which pods read but cannot write: mount it :ro in compose too, or keep it a hostPath']);
  });

  it('a folder over 1 MiB stays a hostPath, warned', async () => {
    const r = await convertSnippet(app('volumes: ["./big:/big:ro"]'), { volumes: 'configMap' }, { 'big/a': 'x'.repeat(600_000), 'big/b': 'y'.repeat(600_000) });
    expect(r.podSpec('app').volumes).toEqual([{ name: 'bind-0', hostPath: { path: expect.stringMatching(/big$/) } }]);
    expect(r.messages).toContain('services.app.volumes: ./big stays a hostPath, not a ConfigMap: its files are over the 1 MiB a ConfigMap holds');
  });

  it('kompose.volume.type configMap does the same for its service, folders included', async () => {
    const r = await convertSnippet(app('volumes: ["./conf:/etc/app:ro"]\nlabels: { kompose.volume.type: configMap }'), {}, { 'conf/a.ini': 'a=1\n' });
    expect(r.get('ConfigMap', 'app-conf').data).toEqual({ 'a.ini': 'a=1\n' });
  });
});
