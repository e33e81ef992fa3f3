import { Module } from '@nestjs/common';
import { MessageMaintenance } from './gateway/message-maintenance.service';
import { SmsSendProcessor } from './gateway/sms-send.processor';
import { MessagingModule } from './messaging.module';
import { HygieneSweep } from './hygiene/hygiene-sweep.service';

/** The `sends` queue processor, the message reconciler and the hygiene sweep; loaded only where workers run (HUB_ROLE=all|worker). */
@Module({
  imports: [MessagingModule],
  providers: [SmsSendProcessor, MessageMaintenance, HygieneSweep],
})
export class MessagingWorkerModule {}
