import { DomainError } from '@optline/core';
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may scrape: the bearer of METRICS_TOKEN, and nobody when it is unset (the endpoint is off).
 * Shared by the API's /metrics route and a worker's metrics port, so both answer alike.
 */
export function metricsTokenRefusal(token: string | undefined, authorization: string | undefined): DomainError | null {
  if (!token) return new DomainError('not_found', 'route_not_found', 'Cannot GET /metrics');
  const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (!given) return new DomainError('unauthorized', 'missing_credentials', 'Send Authorization: Bearer <METRICS_TOKEN>');
  if (!timingSafeEqual(digest(given), digest(token))) return new DomainError('unauthorized', 'invalid_metrics_token', 'The metrics token is not valid');
  return null;
}
