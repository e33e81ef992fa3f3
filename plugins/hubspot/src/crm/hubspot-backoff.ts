/**
 * Retrying HubSpot calls within a deadline. HubSpot answers a burst with 429 and
 * `policyName: TEN_SECONDLY_ROLLING` (or a per-second limit): those, and 502/503/504, are
 * retried with exponential backoff; a DAILY limit or any other error is not.
 *
 * Backoff waits on the machine's timer, not the hub's Clock: it paces calls to a remote server in
 * real time, while the Clock is business time (a ManualClock in tests never moves by itself).
 */

export interface BackoffPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** Wait before the second attempt; doubled for each further one. */
  baseDelayMs: number;
  /** Absolute epoch ms after which no further attempt starts. */
  deadline: number;
}

/** The call was still refused for rate or availability when the attempts or the time ran out. */
export class HubspotUnavailableError extends Error {
  override name = 'HubspotUnavailableError';

  constructor(
    message: string,
    readonly status: number | undefined,
    readonly attempts: number,
  ) {
    super(message);
  }
}

interface HubspotLikeError {
  code?: unknown;
  body?: { policyName?: unknown; message?: unknown; category?: unknown } | unknown;
  headers?: Record<string, string | undefined>;
}

/** The HTTP status of an error thrown by @hubspot/api-client (its ApiException carries `code`). */
export function statusOf(error: unknown): number | undefined {
  const code = (error as HubspotLikeError | null)?.code;
  return typeof code === 'number' && code >= 100 && code < 600 ? code : undefined;
}

function policyOf(error: unknown): string | undefined {
  const body = (error as HubspotLikeError | null)?.body;
  const policy = typeof body === 'object' && body !== null ? (body as { policyName?: unknown }).policyName : undefined;
  return typeof policy === 'string' ? policy : undefined;
}

/** Whether waiting can help: short-window rate limits and gateway hiccups, not a daily quota or a 4xx. */
export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status === 429) return policyOf(error) !== 'DAILY';
  if (status === 502 || status === 503 || status === 504) return true;
  // No status: the connection failed before an answer (reset, refused, timed out).
  return status === undefined && error instanceof Error && /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|socket hang up/i.test(`${error.message} ${(error as { code?: unknown }).code ?? ''}`);
}

function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as HubspotLikeError | null)?.headers;
  const value = headers?.['retry-after'] ?? headers?.['Retry-After'];
  const seconds = value === undefined ? NaN : Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** A short description for logs and installation status, never the token. */
export function describeHubspotError(error: unknown): string {
  const status = statusOf(error);
  const body = (error as HubspotLikeError | null)?.body as { message?: unknown; category?: unknown; policyName?: unknown } | undefined;
  const detail = [body?.category, body?.policyName, body?.message].filter((v) => typeof v === 'string').join(' ');
  if (status !== undefined) return `HubSpot answered ${status}${detail ? ` (${detail})` : ''}`;
  return `HubSpot could not be reached: ${error instanceof Error ? error.message : String(error)}`;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call`, retrying transient refusals with backoff (Retry-After when HubSpot sends it) while
 * attempts and time remain; then throws HubspotUnavailableError. Other errors pass through at once.
 */
export async function withBackoff<T>(
  call: () => Promise<T>,
  policy: BackoffPolicy,
  now: () => number = Date.now,
  sleep: (ms: number) => Promise<void> = realSleep,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isTransient(error)) throw error;
      const delay = retryAfterMs(error) ?? policy.baseDelayMs * 2 ** (attempt - 1);
      if (attempt >= policy.maxAttempts || now() + delay > policy.deadline) {
        throw new HubspotUnavailableError(`${describeHubspotError(error)} after ${attempt} attempt(s)`, statusOf(error), attempt);
      }
      await sleep(delay);
    }
  }
}
