import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HttpClient } from '../registry-client.js';

/** A temp folder holding the given files (path -> content), built from an object literal. */
export async function makeTree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'qed-images-'));
  for (const [relative, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), content);
  }
  return root;
}

/** A registry that holds the given `name:tag` -> digest manifests and answers 404 for the rest. */
export function fakeRegistry(manifests: Record<string, string> = {}): HttpClient & { requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    async request(url, init) {
      requests.push(`${init.method} ${url}`);
      const match = /\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url);
      const digest = match ? manifests[`${match[1]}:${match[2]}`] : undefined;
      return {
        status: digest ? 200 : 404,
        headers: { get: (name: string) => (digest && name.toLowerCase() === 'docker-content-digest' ? digest : null) },
      };
    },
  };
}
