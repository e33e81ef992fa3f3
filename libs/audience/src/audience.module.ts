import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactsModule } from '@optline/contacts';
import { FlowsModule } from '@optline/flows';
import { MessagingModule } from '@optline/messaging';
import { PluginSdkModule } from '@optline/plugin-sdk';
import { CampaignAudienceBuilder } from './campaigns/campaign-audience';
import { CampaignBulkWriter } from './campaigns/campaign-bulk-writer';
import { CampaignPageSender } from './campaigns/campaign-page-sender.service';
import { CampaignProgressService } from './campaigns/campaign-progress.service';
import { CampaignRunner } from './campaigns/campaign-runner.service';
import { CampaignStarter } from './campaigns/campaign-starter.service';
import { Campaign } from './campaigns/campaign.entity';
import { CampaignRepository } from './campaigns/campaign.repository';
import { CampaignService } from './campaigns/campaign.service';
import { AudienceQuery } from './segments/audience-query';
import { SegmentFlowFilter } from './segments/segment-flow-filter';
import { SegmentStatistics } from './segments/segment-statistics';
import { Segment } from './segments/segment.entity';
import { SegmentService } from './segments/segment.service';

/** Segments and campaigns: the services (no HTTP, no timers). */
@Module({
  imports: [TypeOrmModule.forFeature([Segment, Campaign]), ContactsModule, MessagingModule, FlowsModule, PluginSdkModule],
  providers: [AudienceQuery, SegmentService, CampaignAudienceBuilder, CampaignRepository, CampaignStarter, CampaignPageSender, CampaignBulkWriter, CampaignRunner, CampaignService, CampaignProgressService, SegmentFlowFilter, SegmentStatistics],
  exports: [AudienceQuery, SegmentService, CampaignService, CampaignRunner, CampaignProgressService],
})
export class AudienceModule {}
