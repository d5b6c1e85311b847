import { readFile } from 'node:fs/promises';
import { QedError } from '@qed/core';
import { booleanField, invalid, type KubeContext, stringField } from './kube-context.js';
import type { KubeconfigEntry } from './kubeconfig-files.js';
import type { TransportOptions } from './kube-api.js';

/** Certificate or key bytes: written into the kubeconfig (`…-data`), or a file read each time. */
type Material = { data: Buffer } | { file: string; field: string; entry: KubeconfigEntry } | undefined;

/**
 * The transport of a context whose credentials are certificates, a token (or token
 * file), or a user name and password: what kubectl does for them, without
 * @kubernetes/client-node. The kubeconfig's fields are checked once, here; the files
 * it names (CA, client certificate and key, token file) are read again on every call,
 * as they may change while a run lasts (a recreated minikube profile writes new
 * certificates; a projected service account token is rotated).
 */
export function credentialsTransport(context: KubeContext): () => Promise<TransportOptions> {
  const { cluster, user, server } = context;
  const ca = material(cluster, 'certificate-authority');
  const cert = user && material(user, 'client-certificate');
  const key = user && material(user, 'client-key');
  // kubectl's transport reads the token file whenever one is named, the token then being only its first value.
  const tokenFile = user && stringField(user, 'tokenFile');
  const token = user && stringField(user, 'token');
  const username = user && stringField(user, 'username');
  const basic = username === undefined ? undefined : `${username}:${(user && stringField(user, 'password')) ?? ''}`;
  const impersonate = user && stringField(user, 'as');
  const servername = stringField(cluster, 'tls-server-name');
  const insecure = booleanField(cluster, 'insecure-skip-tls-verify');

  return async () => {
    const [caBytes, certBytes, keyBytes, bearer] = await Promise.all([
      bytesOf(ca),
      bytesOf(cert),
      bytesOf(key),
      tokenFile !== undefined && user ? readToken(tokenFile, user) : token,
    ]);
    const headers: Record<string, string> = {
      ...(bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` }),
      ...(impersonate === undefined ? {} : { 'Impersonate-User': impersonate }),
    };
    return {
      server,
      ...(caBytes ? { ca: caBytes } : {}),
      ...(certBytes ? { cert: certBytes } : {}),
      ...(keyBytes ? { key: keyBytes } : {}),
      ...(insecure ? { rejectUnauthorized: false } : {}),
      ...(servername === undefined ? {} : { servername }),
      ...(basic === undefined ? {} : { auth: basic }),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
    };
  };
}

/** `field-data` (base64) wins over the file `field`, as in kubectl. */
function material(entry: KubeconfigEntry, field: string): Material {
  const data = stringField(entry, `${field}-data`);
  if (data !== undefined) {
    const compact = data.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) throw invalid(entry, `${entry.name}: ${field}-data is not base64`);
    return { data: Buffer.from(compact, 'base64') };
  }
  const file = stringField(entry, field);
  return file === undefined ? undefined : { file, field, entry };
}

async function bytesOf(material: Material): Promise<Buffer | undefined> {
  if (!material) return undefined;
  if ('data' in material) return material.data;
  return readNamed(material.file, material.field, material.entry);
}

async function readToken(file: string, user: KubeconfigEntry): Promise<string> {
  const token = (await readNamed(file, 'tokenFile', user)).toString('utf8').trim();
  if (token === '') throw invalid(user, `${user.name}: the tokenFile ${file} is empty`);
  return token;
}

async function readNamed(file: string, field: string, entry: KubeconfigEntry): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new QedError('CLUSTER_KUBECONFIG', `cannot read ${file}, the ${field} of ${entry.name} in ${entry.file}: ${(error as Error).message}`, {
      hint: `Check that the file is there (a recreated cluster writes new ones; \`kubectl config view\` shows the paths), or fix ${entry.file}.`,
      cause: error,
      data: { file: entry.file, [field]: file },
    });
  }
}
