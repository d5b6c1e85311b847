import { describe, expect, it } from 'vitest';
import { describeCommand } from './command-runner.js';
import { looksLikeSecretName, REDACTED, redactSecrets } from './redact.js';

describe('redactSecrets', () => {
  it.each([
    ['known value', 'login with hunter22 now', ['hunter22'], `login with ${REDACTED} now`],
    ['password flag with =', 'docker login --password=s3cr3t -u me', [], `docker login --password=${REDACTED} -u me`],
    ['token flag with space', 'kubectl --token abc.def.ghi get pods', [], `kubectl --token ${REDACTED} get pods`],
    ['url credentials', 'pull https://bob:pa55@registry.local/v2/', [], `pull https://bob:${REDACTED}@registry.local/v2/`],
    ['bearer header', 'Authorization: Bearer eyJhbGciOi', [], `Authorization: Bearer ${REDACTED}`],
    ['env assignment', 'POSTGRES_PASSWORD=postgres DJANGO_SECRET_KEY=xyz', [], `POSTGRES_PASSWORD=${REDACTED} DJANGO_SECRET_KEY=${REDACTED}`],
    ['docker config auth', '{"auths":{"r":{"auth":"Ym9iOnB3"}}}', [], `{"auths":{"r":{"auth":"${REDACTED}"}}}`],
    ['longest secret first', 'abcdef and abc', ['abc', 'abcdef'], `${REDACTED} and ${REDACTED}`],
  ])('%s', (_name, input, secrets, expected) => {
    expect(redactSecrets(input, secrets)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    const text = 'kubectl get pods --namespace qed -o json';
    expect(redactSecrets(text)).toBe(text);
  });

  it('masks secrets in described commands and quotes arguments for a shell', () => {
    expect(
      describeCommand({ command: 'docker', args: ['login', '-p', 'topsecret', 'my registry'], secrets: ['topsecret'] }),
    ).toBe(`docker login -p ${REDACTED} 'my registry'`);
  });

  it.each([
    ['POSTGRES_PASSWORD', true],
    ['DJANGO_SECRET_KEY', true],
    ['GITHUB_TOKEN', true],
    ['GOOGLE_API_KEY', true],
    ['AWS_ACCESS_KEY_ID', true],
    ['KEY', true],
    ['MONKEY_COUNT', false],
    ['KEYBOARD_LAYOUT', false],
    ['REDIS_HOST', false],
    ['DEBUG', false],
  ])('looksLikeSecretName(%s) = %s', (name, expected) => {
    expect(looksLikeSecretName(name)).toBe(expected);
  });
});
