import type { ImageConfig } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { classifyChange } from './classify-change.js';

const django: ImageConfig = {
  name: 'qed-django',
  source: 'quanted/qed-django:latest',
  context: '/work/qed',
  sync: [
    { src: 'qed_app/**/*.py', dest: '/src/qed_app' },
    { src: 'templates/**', dest: '/src/templates' },
    { src: '*.py', dest: '/src' },
  ],
};
const saved = (...files: string[]) => files.map((file) => ({ file, deleted: false }));

describe('classifyChange', () => {
  it.each([
    ['a module under a rule: copied below its destination, keeping its path below the glob', saved('qed_app/views/home.py'), { action: 'sync', copies: [{ file: 'qed_app/views/home.py', dest: '/src/qed_app/views/home.py' }] }],
    ['a template and a top-level module together', saved('templates/base.html', 'manage.py'), { action: 'sync', copies: [{ file: 'templates/base.html', dest: '/src/templates/base.html' }, { file: 'manage.py', dest: '/src/manage.py' }] }],
    ['the Dockerfile', saved('qed_app/x.py', 'Dockerfile'), { action: 'rebuild', reason: 'Dockerfile changed' }],
    ['a dependency file, even where a rule would match it', saved('requirements.txt'), { action: 'rebuild', reason: 'requirements.txt changed (dependencies)' }],
    ['a nested package.json', saved('static/js/package.json'), { action: 'rebuild', reason: 'static/js/package.json changed (dependencies)' }],
    ['a file no rule matches', saved('qed_app/data.csv'), { action: 'rebuild', reason: 'qed_app/data.csv changed (no sync rule matches it)' }],
    ['a deleted file under a rule', [{ file: 'qed_app/old.py', deleted: true }], { action: 'rebuild', reason: 'qed_app/old.py was deleted (a sync copies, it cannot delete)' }],
  ])('%s', (_name, changed, expected) => {
    expect(classifyChange(django, changed)).toEqual(expected);
  });

  it('an image without sync rules always rebuilds, and says why', () => {
    expect(classifyChange({ name: 'qed-nginx', source: 'quanted/qed_nginx:latest', context: '/work/nginx' }, saved('nginx.conf'))).toEqual({
      action: 'rebuild',
      reason: 'nginx.conf changed (no sync rules for qed-nginx)',
    });
  });

  it('a Dockerfile named in the config, relative to the context', () => {
    const image: ImageConfig = { ...django, dockerfile: '/work/qed/docker/Dockerfile.dev' };
    expect(classifyChange(image, saved('docker/Dockerfile.dev'))).toEqual({ action: 'rebuild', reason: 'docker/Dockerfile.dev changed' });
  });
});
