/**
 * The one error type of qed-bootstrap. Every failure a user can meet carries a
 * stable code (for --json and for tests), a one-line cause, a fix hint, and where
 * one exists a link to the docs. The CLI renders these without a stack trace; any
 * other exception reaching the top is a bug and is reported as such.
 */
export interface QedErrorDetails {
  /** What to do about it, phrased as an instruction ("Run `…`", "Install …"). */
  hint?: string;
  /** A page that explains the failure in more depth. */
  docsUrl?: string;
  /** The underlying error, kept for --debug. */
  cause?: unknown;
  /** Structured facts for --json output (never secrets). */
  data?: Record<string, unknown>;
}

export class QedError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly docsUrl: string | undefined;
  readonly data: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details: QedErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'QedError';
    this.code = code;
    this.hint = details.hint;
    this.docsUrl = details.docsUrl;
    this.data = details.data;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.docsUrl ? { docsUrl: this.docsUrl } : {}),
      ...(this.data ? { data: this.data } : {}),
    };
  }
}

export function isQedError(value: unknown, code?: string): value is QedError {
  return value instanceof QedError && (code === undefined || value.code === code);
}
