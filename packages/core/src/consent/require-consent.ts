import { QedError } from '../errors/qed-error.js';

/** What a refusal names: the change that needs the user's agreement. */
export interface ConsentRequest {
  /** What would be destroyed or overwritten, as a gerund phrase: "Deleting profile qed". */
  action: string;
  /** The flag that asked for the destructive part ("--purge"): leaving it out is the safe way round. */
  flag?: string;
  /** Another way out besides agreeing ("pass settings that match the existing cluster"). */
  alternative?: string;
  /** Structured facts for --json output. */
  data?: Record<string, unknown>;
}

/**
 * The one refusal for anything destructive done without consent. Consent is
 * --yes or a yes to the prompt; CI=true only stops the prompts, so on CI
 * nothing destructive happens unless --yes is given too.
 */
export function consentRequired(request: ConsentRequest): QedError {
  const ways = [
    'Add --yes to agree, or run it in a terminal and answer the prompt (CI=true alone never agrees).',
    ...(request.flag ? [`Leave out ${request.flag} to keep it.`] : []),
    ...(request.alternative ? [`Or ${request.alternative}.`] : []),
  ];
  return new QedError('CONSENT_REQUIRED', `${request.action} was not confirmed, so nothing was changed`, {
    hint: ways.join(' '),
    ...(request.data ? { data: request.data } : {}),
  });
}

/** Throws consentRequired(request) unless consent is exactly true. */
export function requireConsent(consent: boolean | undefined, request: ConsentRequest): void {
  if (consent !== true) throw consentRequired(request);
}
