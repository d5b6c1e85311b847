import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isQedError } from '@qed/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkDockerConfig, formatDockerConfigReport } from './check-docker-config.js';
import { readDockerConfigFacts } from './docker-config-facts.js';
import { type DockerConfigFs, nodeDockerConfigFs } from './docker-config-fs.js';
import {
  applyDockerConfigFix,
  applyDockerConfigRevert,
  describeDockerConfigFix,
  planDockerConfigFix,
  planDockerConfigRevert,
} from './fix-docker-config.js';

const SECRET = 'dXNlcjpodW50ZXIy'; // base64 "user:hunter2"
const ORIGINAL = `{
\t"auths": {
\t\t"ghcr.io": {
\t\t\t"auth": "${SECRET}"
\t\t}
\t},
\t"credsStore": "osxkeychain",
\t"currentContext": "desktop-linux",
\t"credHelpers": {
\t\t"gcr.io": "gcloud",
\t\t"localhost:5000": "desktop"
\t},
\t"plugins": {
\t\t"-x-cli-hints": {
\t\t\t"enabled": "true"
\t\t}
\t}
}
`;
const FIXED = `{
\t"auths": {
\t\t"ghcr.io": {
\t\t\t"auth": "${SECRET}"
\t\t}
\t},
\t"currentContext": "desktop-linux",
\t"credHelpers": {
\t\t"gcr.io": "gcloud"
\t},
\t"plugins": {
\t\t"-x-cli-hints": {
\t\t\t"enabled": "true"
\t\t}
\t}
}
`;

let home: string;
let dir: string;
let file: string;
const env = {};
const t1 = new Date('2026-11-05T14:25:30Z');
const t2 = new Date('2026-11-05T14:25:31Z');

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'qed-docker-config-'));
  dir = path.join(home, '.docker');
  file = path.join(dir, 'config.json');
  mkdirSync(dir);
  writeFileSync(file, ORIGINAL);
  chmodSync(file, 0o600);
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

const readFacts = (fs?: DockerConfigFs, environment: Record<string, string> = env) =>
  readDockerConfigFacts({ env: environment, homeDir: home, fs });

describe('check, fix, revert on a real file', () => {
  it('round-trips: fix removes the helpers, keeps everything else and the mode; revert restores the original', async () => {
    const before = await readFacts();
    expect(checkDockerConfig(before).findings.map((f) => f.key)).toEqual([
      'credsStore',
      'credHelpers.localhost:5000',
    ]);

    const plan = planDockerConfigFix(before, { now: t1 });
    expect(describeDockerConfigFix(plan)).toEqual([
      `In ${file}:`,
      '  remove credsStore (osxkeychain)',
      '  remove credHelpers.localhost:5000 (desktop)',
      `A copy is kept as ${file}.20261105-142530.bak.`,
    ]);
    expect(await applyDockerConfigFix(plan, { consent: true })).toEqual({
      status: 'written',
      backupPath: `${file}.20261105-142530.bak`,
    });
    expect(readFileSync(file, 'utf8')).toBe(FIXED);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${file}.20261105-142530.bak`, 'utf8')).toBe(ORIGINAL);
    expect(statSync(`${file}.20261105-142530.bak`).mode & 0o777).toBe(0o600);

    const after = await readFacts();
    expect(checkDockerConfig(after).findings).toEqual([]);
    expect(planDockerConfigFix(after, { now: t2 })).toMatchObject({ action: 'none' });

    const revert = planDockerConfigRevert(after);
    expect(revert).toEqual({ action: 'restore', path: file, backupPath: `${file}.20261105-142530.bak` });
    expect(await applyDockerConfigRevert(revert, { consent: true })).toMatchObject({ status: 'written' });
    expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'config.json.20261105-142530.bak']);
  });

  it('keeps a group-readable mode as it was, whatever the umask', async () => {
    chmodSync(file, 0o664);
    await applyDockerConfigFix(planDockerConfigFix(await readFacts(), { now: t1 }), { consent: true });
    expect(statSync(file).mode & 0o777).toBe(0o664);
  });

  it('reverts to the newest of several backups', async () => {
    writeFileSync(`${file}.20250101-000000.bak`, '{"old": true}\n');
    writeFileSync(`${file}.20261231-235959.bak`, '{"newest": true}\n');
    writeFileSync(`${file}.20260601-120000.bak`, '{"middle": true}\n');
    writeFileSync(path.join(dir, 'daemon.json.20270101-000000.bak'), '{}');
    const plan = planDockerConfigRevert(await readFacts());
    await applyDockerConfigRevert(plan, { consent: true });
    expect(readFileSync(file, 'utf8')).toBe('{"newest": true}\n');
  });

  it('respects DOCKER_CONFIG', async () => {
    const other = path.join(home, 'elsewhere');
    mkdirSync(other);
    writeFileSync(path.join(other, 'config.json'), '{"credsStore": "desktop"}');
    const facts = await readFacts(undefined, { DOCKER_CONFIG: other });
    expect(facts.path).toBe(path.join(other, 'config.json'));
    await applyDockerConfigFix(planDockerConfigFix(facts, { now: t1 }), { consent: true });
    expect(readFileSync(path.join(other, 'config.json'), 'utf8')).toBe('{}');
    expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
  });

  it('writes nothing without consent', async () => {
    const plan = planDockerConfigFix(await readFacts(), { now: t1 });
    await expect(applyDockerConfigFix(plan, { consent: false })).rejects.toMatchObject({
      code: 'CONSENT_REQUIRED',
      message: expect.stringContaining(`from ${file} (a backup would be kept at ${file}.20261105-142530.bak) was not confirmed, so nothing was changed`),
    });
    writeFileSync(`${file}.20250101-000000.bak`, '{}');
    await expect(
      applyDockerConfigRevert(planDockerConfigRevert(await readFacts()), { consent: false }),
    ).rejects.toMatchObject({ code: 'CONSENT_REQUIRED' });
    expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'config.json.20250101-000000.bak']);
  });

  it('has nothing to fix or revert for a missing file', async () => {
    rmSync(dir, { recursive: true });
    const facts = await readFacts();
    expect(facts).toEqual({ path: file, exists: false, backups: [] });
    expect(await applyDockerConfigFix(planDockerConfigFix(facts, { now: t1 }), { consent: true })).toEqual({
      status: 'nothing-to-do',
    });
    expect(planDockerConfigRevert(facts)).toMatchObject({ action: 'none' });
    expect(formatDockerConfigReport(checkDockerConfig(facts))).toEqual([
      `${file} does not exist: nothing to fix.`,
    ]);
  });

  it('reports malformed JSON with its position and leaves the file alone', async () => {
    const broken = `{\n\t"auths": {"ghcr.io": {"auth": "${SECRET}"}},\n\t"credsStore" "desktop"\n}\n`;
    writeFileSync(file, broken);
    const facts = await readFacts();
    let error: unknown;
    try {
      planDockerConfigFix(facts, { now: t1 });
    } catch (caught) {
      error = caught;
    }
    expect(isQedError(error, 'DOCKER_CONFIG_MALFORMED')).toBe(true);
    expect((error as Error).message).toBe(`${file} is not valid JSON (line 3, column 15)`);
    expect(JSON.stringify((error as { toJSON(): unknown }).toJSON())).not.toContain(SECRET);
    expect(readFileSync(file, 'utf8')).toBe(broken);
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('refuses to overwrite a file changed after it was read', async () => {
    const plan = planDockerConfigFix(await readFacts(), { now: t1 });
    writeFileSync(file, `${ORIGINAL}\n`);
    await expect(applyDockerConfigFix(plan, { consent: true })).rejects.toMatchObject({
      code: 'DOCKER_CONFIG_CHANGED',
    });
    expect(readFileSync(file, 'utf8')).toBe(`${ORIGINAL}\n`);
  });
});

describe('a failure in the middle of the write', () => {
  const failing = (what: 'writeFile' | 'rename', target: (file: string) => boolean): DockerConfigFs => ({
    ...nodeDockerConfigFs,
    writeFile: async (f, data, options) => {
      if (what === 'writeFile' && target(f)) {
        // Half a file on disk first, as a full disk would leave it.
        await nodeDockerConfigFs.writeFile(f, data.slice(0, 10), options);
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      }
      return nodeDockerConfigFs.writeFile(f, data, options);
    },
    rename: async (from, to) => {
      if (what === 'rename' && target(to))
        throw Object.assign(new Error('EXDEV: rename failed'), { code: 'EXDEV' });
      return nodeDockerConfigFs.rename(from, to);
    },
  });
  const intoConfig = (f: string) => !f.includes('.bak');

  it.each([['writeFile' as const], ['rename' as const]])(
    '%s failing leaves the original intact and no temp file',
    async (what) => {
      const fs = failing(what, what === 'rename' ? (to) => to === file : intoConfig);
      const plan = planDockerConfigFix(await readFacts(fs), { now: t1 });
      const error = await applyDockerConfigFix(plan, { consent: true, fs }).then(
        () => null,
        (e: unknown) => e,
      );
      expect((error as Error).message).toMatch(/ENOSPC|EXDEV/);
      expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    },
  );

  it('a failing backup write stops before the config is touched', async () => {
    const fs = failing('writeFile', (f) => f.includes('.bak'));
    const plan = planDockerConfigFix(await readFacts(fs), { now: t1 });
    await expect(applyDockerConfigFix(plan, { consent: true, fs })).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('a failing revert leaves the current file intact', async () => {
    writeFileSync(`${file}.20250101-000000.bak`, '{}');
    const fs = failing('rename', (to) => to === file);
    await expect(
      applyDockerConfigRevert(planDockerConfigRevert(await readFacts(fs)), { consent: true, fs }),
    ).rejects.toThrow(/EXDEV/);
    expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'config.json.20250101-000000.bak']);
  });
});

describe('secrets', () => {
  it('appear in no report, plan description, outcome or error', async () => {
    const messages: string[] = [];
    const facts = await readFacts();
    messages.push(...formatDockerConfigReport(checkDockerConfig(facts)));
    const plan = planDockerConfigFix(facts, { now: t1 });
    messages.push(...describeDockerConfigFix(plan));
    messages.push(JSON.stringify(await applyDockerConfigFix(plan, { consent: true })));
    messages.push(
      JSON.stringify(
        await applyDockerConfigRevert(planDockerConfigRevert(await readFacts()), { consent: true }),
      ),
    );
    writeFileSync(file, ORIGINAL.replace('"credsStore"', '"credsStore" "x",'));
    try {
      checkDockerConfig(await readFacts());
    } catch (error) {
      messages.push(String(error), JSON.stringify((error as { toJSON(): unknown }).toJSON()));
    }
    expect(messages.length).toBeGreaterThan(8);
    for (const message of messages) expect(message).not.toContain(SECRET);
  });
});
