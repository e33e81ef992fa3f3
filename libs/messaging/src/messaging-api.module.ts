import { Module } from '@nestjs/common';
import { MessagesController } from './http/messages.controller';
import { SmsProviderController } from './http/sms-provider.controller';
import { SmsHooksController } from './inbound/sms-hooks.controller';
import { LinkController } from './links/link.controller';
import { LinkDomainController, LinkDomainVerificationController } from './links/link-domain.controller';
import { MessagingModule } from './messaging.module';
import { FlaggedInboundController } from './review/flagged-inbound.controller';
import { MessageTextsController } from './texts/message-texts.controller';
import { MessageTextsService } from './texts/message-texts.service';
import { SenderController } from './senders/sender.controller';
import { HygieneController } from './hygiene/hygiene.controller';

/** The messaging HTTP surface: /v1/messages, /v1/sms-provider, /v1/senders, /v1/hygiene, /v1/message-texts, provider webhooks and the /l/:code redirect. */
@Module({
  imports: [MessagingModule],
  controllers: [MessagesController, SmsProviderController, SmsHooksController, LinkController, LinkDomainController, LinkDomainVerificationController, MessageTextsController, FlaggedInboundController, SenderController, HygieneController],
  providers: [MessageTextsService],
})
export class MessagingApiModule {}
