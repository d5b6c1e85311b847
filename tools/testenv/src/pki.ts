import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CommandRunner, runOrThrow } from '@qed/core';
import { stringify } from 'yaml';

export interface Pki {
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  adminCert: string;
  adminKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

/** The in-cluster address of the `kubernetes` Service: first IP of the service range. */
export const SERVICE_CIDR = '10.96.0.0/12';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

/** Where generatePki puts each file: a private API server reads the shared environment's here. */
export function pkiFiles(dir: string): Pki {
  const file = (name: string) => path.join(dir, name);
  return {
    caCert: file('ca.crt'),
    caKey: file('ca.key'),
    apiserverCert: file('apiserver.crt'),
    apiserverKey: file('apiserver.key'),
    adminCert: file('admin.crt'),
    adminKey: file('admin.key'),
    serviceAccountKey: file('sa.key'),
    serviceAccountPub: file('sa.pub'),
  };
}

/**
 * A throwaway CA, the API server's serving certificate, an admin client
 * certificate (group system:masters) and the service-account signing key pair.
 * openssl is used because Node cannot issue X.509 certificates by itself.
 */
export async function generatePki(runner: CommandRunner, dir: string): Promise<Pki> {
  await mkdir(dir, { recursive: true });
  const file = (name: string) => path.join(dir, name);
  const openssl = (args: string[], what: string) =>
    runOrThrow(runner, { command: 'openssl', args, cwd: dir, timeoutMs: 60_000 }, {
      code: 'TESTENV_PKI',
      what,
      hint: 'Check that openssl works (`openssl version`).',
    });

  await openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '30', '-subj', '/CN=qed-testenv-ca'],
    'creating the test CA',
  );
  const sans = [
    'IP:127.0.0.1',
    `IP:${KUBERNETES_SERVICE_IP}`,
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
  ];
  await issue('apiserver', '/CN=kube-apiserver', `subjectAltName=${sans.join(',')}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n`);
  await issue('admin', '/O=system:masters/CN=qed-testenv-admin', 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n');
  await openssl(['genrsa', '-out', file('sa.key'), '2048'], 'creating the service-account key');
  await openssl(['rsa', '-in', file('sa.key'), '-pubout', '-out', file('sa.pub')], 'deriving the service-account public key');

  return pkiFiles(dir);

  async function issue(name: string, subject: string, extensions: string): Promise<void> {
    await writeFile(file(`${name}.ext`), extensions);
    await openssl(
      ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', subject],
      `creating the ${name} key`,
    );
    await openssl(
      ['x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file(`${name}.crt`), '-days', '30', '-extfile', file(`${name}.ext`)],
      `signing the ${name} certificate`,
    );
  }
}

export const CONTEXT_NAME = 'qed-testenv';

/** A self-contained kubeconfig (certificates embedded) with one named context. */
export async function writeKubeconfig(file: string, server: string, pki: Pki): Promise<void> {
  const b64 = async (p: string) => (await readFile(p)).toString('base64');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: CONTEXT_NAME, cluster: { server, 'certificate-authority-data': await b64(pki.caCert) } }],
    users: [
      {
        name: `${CONTEXT_NAME}-admin`,
        user: { 'client-certificate-data': await b64(pki.adminCert), 'client-key-data': await b64(pki.adminKey) },
      },
    ],
    contexts: [{ name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: `${CONTEXT_NAME}-admin`, namespace: 'default' } }],
    'current-context': CONTEXT_NAME,
    preferences: {},
  };
  await writeFile(file, stringify(config), { mode: 0o600 });
}
