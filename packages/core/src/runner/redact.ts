/**
 * Redaction of secrets in anything qed-bootstrap prints: command lines, captured
 * output quoted in errors, and logs. Known secret values are always replaced;
 * on top of that, common shapes of credentials are masked even when the caller
 * did not declare them (a password flag, a token in a URL, an Authorization header).
 */
export const REDACTED = '***';

// A KEY on its own or as a word of the name (AWS_ACCESS_KEY_ID), not inside one (MONKEY, KEYBOARD).
const SECRET_NAME = /(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|auth|(^|[_.-])key([_.-]|$))/i;

const SHAPES: Array<[RegExp, string]> = [
  // scheme://user:password@host
  [/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${REDACTED}@`],
  // Authorization: Bearer xxx / Basic xxx
  [/(authorization:\s*(bearer|basic)\s+)\S+/gi, `$1${REDACTED}`],
  // --password=xxx, --token xxx, --client-secret=xxx
  [
    /(--?[a-z0-9-]*(password|passwd|secret|token|api-key)[a-z0-9-]*(=|\s+))(?!-)("[^"]*"|'[^']*'|\S+)/gi,
    `$1${REDACTED}`,
  ],
  // NAME_PASSWORD=xxx, DJANGO_SECRET_KEY=xxx in env dumps
  [
    /\b([A-Z0-9_]*(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY)[A-Z0-9_]*=)("[^"]*"|'[^']*'|\S+)/g,
    `$1${REDACTED}`,
  ],
  // "auth": "base64..." in docker config.json
  [/("(auth|identitytoken|password|registrytoken)"\s*:\s*")[^"]*(")/gi, `$1${REDACTED}$3`],
];

/** True when a variable or key name suggests its value is a credential. */
export function looksLikeSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Replaces every known secret value and every credential-shaped substring. */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  // Longest first so a secret that contains another is replaced whole.
  for (const secret of [...knownSecrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of SHAPES) out = out.replace(pattern, replacement);
  return out;
}
