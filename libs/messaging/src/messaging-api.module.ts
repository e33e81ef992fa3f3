import { Module } from '@nestjs/common';
import { MessagesController } from './http/messages.controller';
import { SmsProviderController } from './http/sms-provider.controller';
import { SmsHooksController } from './inbound/sms-hooks.controller';
import { LinkController } from './links/link.controller';
import { MessagingModule } from './messaging.module';

/** The messaging HTTP surface: /v1/messages, /v1/sms-provider, provider webhooks and the /l/:code redirect. */
@Module({
  imports: [MessagingModule],
  controllers: [MessagesController, SmsProviderController, SmsHooksController, LinkController],
})
export class MessagingApiModule {}
