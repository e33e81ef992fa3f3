import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Clock } from '@optline/core';
import { TriggerEventStore, HUB_SOURCE } from '@optline/plugin-sdk';
import { Repository } from 'typeorm';
import { AudienceQuery } from '../segments/audience-query';
import { CampaignAudienceBuilder } from './campaign-audience';
import { Campaign } from './campaign.entity';

/**
 * A due campaign begins: its audience rule is frozen, counted (the progress bar's size), and
 * `campaign.scheduled` is stored as a hub event so flows can start on it.
 */
@Injectable()
export class CampaignStarter {
  private readonly logger = new Logger(CampaignStarter.name);

  constructor(
    @InjectRepository(Campaign) private readonly campaigns: Repository<Campaign>,
    private readonly builder: CampaignAudienceBuilder,
    private readonly audience: AudienceQuery,
    private readonly events: TriggerEventStore,
    private readonly clock: Clock,
  ) {}

  async start(campaign: Campaign): Promise<Campaign> {
    const rule = campaign.audienceRule ?? (await this.builder.rule(campaign.workspaceId, campaign.audience));
    const size = await this.audience.count(campaign.workspaceId, rule);
    const now = this.clock.now();
    const moved = await this.campaigns
      .createQueryBuilder()
      .update()
      .set({ status: 'sending', audienceRule: () => ':rule::jsonb', audienceSize: size, startedAt: now })
      .setParameter('rule', JSON.stringify(rule))
      .where('id = :id AND status = :status', { id: campaign.id, status: 'scheduled' })
      .execute();
    if (moved.affected) {
      await this.events.storeMany(campaign.workspaceId, null, HUB_SOURCE, [
        {
          type: 'campaign.scheduled',
          dedupeKey: `campaign:${campaign.id}:scheduled`,
          occurredAt: now,
          correlation: { campaignId: campaign.id },
          data: { campaignId: campaign.id, name: campaign.name, audienceSize: size },
        },
      ]);
      this.logger.log({ campaignId: campaign.id, audienceSize: size }, 'campaign sending');
    }
    return (await this.campaigns.findOneByOrFail({ id: campaign.id, workspaceId: campaign.workspaceId }));
  }
}
