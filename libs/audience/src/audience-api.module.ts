import { Module } from '@nestjs/common';
import { AudienceModule } from './audience.module';
import { CampaignController } from './campaigns/campaign.controller';
import { SegmentController } from './segments/segment.controller';

/** The /v1/segments and /v1/campaigns HTTP API. */
@Module({
  imports: [AudienceModule],
  controllers: [SegmentController, CampaignController],
})
export class AudienceApiModule {}
