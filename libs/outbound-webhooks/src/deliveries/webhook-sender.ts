import { Injectable } from '@nestjs/common';
import { Clock, signWebhook } from '@optline/core';
import { DeliveryAttempt } from './webhook-delivery.entity';

/** How long one attempt may take before it counts as failed. */
export const ATTEMPT_TIMEOUT_MS = 10_000;

/** The `webhook-id` of a delivery: the same on every retry and replay, so receivers drop duplicates. */
export function webhookIdOf(deliveryId: string): string {
  return `msg_${deliveryId.replace(/-/g, '')}`;
}

/**
 * One signed POST of a delivery's JSON body. A 2xx answer is success; anything else (another
 * status, a redirect — not followed —, a timeout, a refused connection) is a failed attempt, with
 * what happened in words for the delivery log.
 */
@Injectable()
export class WebhookSender {
  constructor(private readonly clock: Clock) {}

  async send(url: string, secret: string, deliveryId: string, payload: Record<string, unknown>): Promise<DeliveryAttempt & { ok: boolean }> {
    const at = this.clock.now();
    const body = JSON.stringify(payload);
    const headers = { 'content-type': 'application/json', 'user-agent': 'Optline-Webhooks/1', ...signWebhook(secret, webhookIdOf(deliveryId), at, body) };
    const started = performance.now();
    try {
      const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
      const latencyMs = Math.round(performance.now() - started);
      // Read (and drop) the body so the connection is released; keep a little of it for the log.
      const text = (await response.text().catch(() => '')).slice(0, 200);
      const ok = response.status >= 200 && response.status < 300;
      return { ok, at: at.toISOString(), responseStatus: response.status, latencyMs, error: ok ? null : `HTTP ${response.status}${text ? `: ${text}` : ''}` };
    } catch (error) {
      const latencyMs = Math.round(performance.now() - started);
      return { ok: false, at: at.toISOString(), responseStatus: null, latencyMs, error: describe(error) };
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return `could not connect (${cause.code})`;
  return error instanceof Error ? error.message.slice(0, 200) : 'the request failed';
}
