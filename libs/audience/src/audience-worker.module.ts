import { Module } from '@nestjs/common';
import { AudienceModule } from './audience.module';
import { CampaignMaintenance } from './campaigns/campaign-maintenance.service';

/** The campaign runner's timer; loaded only where workers run (HUB_ROLE=all|worker). */
@Module({
  imports: [AudienceModule],
  providers: [CampaignMaintenance],
})
export class AudienceWorkerModule {}
