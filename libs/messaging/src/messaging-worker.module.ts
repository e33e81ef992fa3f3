import { Module } from '@nestjs/common';
import { MessageMaintenance } from './gateway/message-maintenance.service';
import { SmsSendProcessor } from './gateway/sms-send.processor';
import { MessagingModule } from './messaging.module';

/** The `sends` queue processor and the message reconciler; loaded only where workers run (HUB_ROLE=all|worker). */
@Module({
  imports: [MessagingModule],
  providers: [SmsSendProcessor, MessageMaintenance],
})
export class MessagingWorkerModule {}
