import { Injectable, Logger } from '@nestjs/common';
import { Clock, SecretBox, signWebhook } from '@optline/core';
import { FlowRepository } from '../persistence/flow.repository';
import { flowWebhookSecret } from './flow-webhook-secret';

const TIMEOUT_MS = 10_000;

/**
 * Delivers a webhook step: a JSON POST signed with the flow's secret by Standard Webhooks
 * (webhook-id, webhook-timestamp, webhook-signature; docs/webhooks.md).
 */
@Injectable()
export class FlowWebhookClient {
  private readonly logger = new Logger(FlowWebhookClient.name);

  constructor(
    private readonly flows: FlowRepository,
    private readonly secretBox: SecretBox,
    private readonly clock: Clock,
  ) {}

  async post(workspaceId: string, flowId: string, url: string, payload: Record<string, unknown>, deliveryId: string): Promise<{ status: number | null; error?: string }> {
    const secret = await flowWebhookSecret(this.flows, this.secretBox, workspaceId, flowId);
    if (!secret) return { status: null, error: 'flow has no signing secret' };
    const body = JSON.stringify(payload);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Optline-Flows/1',
          // webhook-id is the step's delivery id: the receiver drops a second delivery of the same step (at-least-once).
          ...signWebhook(secret, deliveryId, this.clock.now(), body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer().catch(() => undefined);
      return { status: response.status };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ flowId, url, err: message }, 'flow webhook failed');
      return { status: null, error: message };
    }
  }
}
