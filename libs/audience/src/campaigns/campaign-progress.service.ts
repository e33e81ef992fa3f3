import { Injectable } from '@nestjs/common';
import { SendGateway } from '@optline/messaging';
import { Clock } from '@optline/core';
import { CampaignRepository } from './campaign.repository';
import type { Campaign } from './campaign.entity';

export interface CampaignProgress {
  status: string;
  audienceSize: number | null;
  resolved: number;
  /** Handed to the provider (sending, sent, delivered, undelivered). */
  sent: number;
  delivered: number;
  failed: number;
  blocked: number;
  blockedByReason: Record<string, number>;
  deferred: number;
  queued: number;
  remaining: number;
}

const HANDED_OFF = new Set(['sending', 'sent', 'delivered', 'undelivered']);

/** Live progress from the campaign row and its messages (found by their gateway keys); and the test send. */
@Injectable()
export class CampaignProgressService {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly gateway: SendGateway,
    private readonly clock: Clock,
  ) {}

  async progress(campaign: Campaign): Promise<CampaignProgress> {
    const tally = campaign.content.kind === 'message' ? await this.campaigns.tally(campaign.workspaceId, campaign.id) : [];
    const sum = (test: (status: string) => boolean) => tally.filter((t) => test(t.status)).reduce((n, t) => n + t.n, 0);
    const blockedByReason: Record<string, number> = {};
    for (const t of tally.filter((t) => t.status === 'blocked')) blockedByReason[t.reason ?? 'unknown'] = (blockedByReason[t.reason ?? 'unknown'] ?? 0) + t.n;
    const queued = sum((s) => s === 'queued' || s === 'held');
    const deferred = sum((s) => s === 'deferred');
    // A page's messages exist a moment before its checkpoint counts them: never count them twice.
    const written = Math.max(campaign.resolvedCount, sum(() => true));
    const unresolved = campaign.status === 'cancelled' || campaign.resolvedAt ? 0 : Math.max(0, (campaign.audienceSize ?? 0) - written);
    return {
      status: campaign.status,
      audienceSize: campaign.audienceSize,
      resolved: campaign.resolvedCount,
      sent: sum((s) => HANDED_OFF.has(s)),
      delivered: sum((s) => s === 'delivered'),
      failed: sum((s) => s === 'failed'),
      blocked: sum((s) => s === 'blocked'),
      blockedByReason,
      deferred,
      queued,
      remaining: unresolved + queued + deferred,
    };
  }

  /** The campaign's message to one number now, checked and sent like any other (consent applies). */
  async testSend(campaign: Campaign, phone: string, who: { apiKeyId?: string; userId?: string }): Promise<{ messageId: string; status: string }> {
    const content = campaign.content;
    const body = content.kind === 'message' ? content.body : `Test of campaign "${campaign.name}" (a flow campaign: its flow's texts are sent by the flow).`;
    const message = await this.gateway.submit({
      workspaceId: campaign.workspaceId,
      phone,
      type: content.kind === 'message' ? content.messageType : 'marketing',
      template: body,
      idempotencyKey: `campaign-test:${campaign.id}:${phone}:${this.clock.nowMs()}`,
      origin: { campaignId: campaign.id, ...who },
    });
    return { messageId: message.id, status: message.status };
  }
}
