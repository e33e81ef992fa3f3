import { Injectable, Logger } from '@nestjs/common';
import { Clock, SecretBox } from '@optline/core';
import { FlowRepository } from '../persistence/flow.repository';
import { signWebhook, WEBHOOK_DELIVERY_HEADER, WEBHOOK_SIGNATURE_HEADER } from './flow-webhook.signer';

const TIMEOUT_MS = 10_000;

/** Delivers a webhook step: a signed JSON POST with the flow's secret. */
@Injectable()
export class FlowWebhookClient {
  private readonly logger = new Logger(FlowWebhookClient.name);

  constructor(
    private readonly flows: FlowRepository,
    private readonly secretBox: SecretBox,
    private readonly clock: Clock,
  ) {}

  async post(workspaceId: string, flowId: string, url: string, payload: Record<string, unknown>, deliveryId: string): Promise<{ status: number | null; error?: string }> {
    const sealed = await this.flows.webhookSecret(workspaceId, flowId);
    if (!sealed) return { status: null, error: 'flow has no signing secret' };
    const body = JSON.stringify(payload);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Optline-Flows/1',
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(this.secretBox.open(sealed), body, this.clock.now()),
          // Lets the receiver drop a second delivery of the same step (at-least-once).
          [WEBHOOK_DELIVERY_HEADER]: deliveryId,
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
