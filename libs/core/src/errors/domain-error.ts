/**
 * What kind of failure a domain error is. The app's one exception filter maps a kind to an
 * HTTP status, so libraries never know about HTTP.
 */
export type ErrorKind =
  | 'invalid' // 400: the request is malformed
  | 'unprocessable' // 422: well-formed, but a value cannot be used (bad phone, unknown template variable)
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'gone' // 410
  | 'payload_too_large' // 413
  | 'rate_limited' // 429
  | 'unavailable'; // 503

export interface ErrorDetail {
  /** Dotted path of the failing field, e.g. `steps[2].template`. */
  field?: string;
  message: string;
  [extra: string]: unknown;
}

/** Base of every error a library throws on purpose. `code` is stable and documented. */
export class DomainError extends Error {
  override name = 'DomainError';

  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Seconds a client should wait before retrying (rate limits). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('not_found', `${what.toLowerCase().replace(/\s+/g, '_')}_not_found`, `${what} ${id} was not found in this workspace`);
  }
}

export class ValidationFailedError extends DomainError {
  constructor(details: ErrorDetail[], kind: 'invalid' | 'unprocessable' = 'unprocessable', code = 'validation_failed') {
    super(kind, code, details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join('; '), details);
  }
}

/** Shorthand for the common single-field 422. */
export function invalidField(field: string, message: string, code = 'invalid_field'): DomainError {
  return new ValidationFailedError([{ field, message }], 'unprocessable', code);
}
