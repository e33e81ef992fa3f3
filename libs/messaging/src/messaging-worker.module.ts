import { Module } from '@nestjs/common';
import { SmsSendProcessor } from './gateway/sms-send.processor';
import { MessagingModule } from './messaging.module';

/** The `sends` queue processor; loaded only where workers run (HUB_ROLE=all|worker). */
@Module({
  imports: [MessagingModule],
  providers: [SmsSendProcessor],
})
export class MessagingWorkerModule {}
