import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsentModule } from '@optline/consent';
import { ContactsModule } from '@optline/contacts';
import { MessageReconciler } from './gateway/message-reconciler.service';
import { MessageDrafter } from './gateway/message-drafter.service';
import { ProviderSignals } from './gateway/provider-signals.service';
import { RecipientResolver } from './gateway/recipient-resolver.service';
import { HandoffBarrier } from './gateway/handoff-barrier.service';
import { HandoffClaim } from './gateway/handoff-claim.service';
import { ProviderHandoff } from './gateway/provider-handoff.service';
import { SendDispatcher } from './gateway/send-dispatcher.service';
import { SendGateway } from './gateway/send-gateway.service';
import { SendOutcomeRecorder } from './gateway/send-outcome.recorder';
import { InboundSmsService } from './inbound/inbound-sms.service';
import { InlineReplies } from './inbound/inline-replies.service';
import { AfterAnswerWork } from './inbound/after-answer-work';
import { KeywordResponder } from './inbound/keyword-responder.service';
import { StatusCallbackService } from './inbound/status-callback.service';
import { Link } from './links/link.entity';
import { LinkDomain } from './links/link-domain.entity';
import { LinkDomainProbe } from './links/link-domain-probe';
import { LinkDomainService } from './links/link-domain.service';
import { LinkService } from './links/link.service';
import { MessageLogService } from './message/message-log.service';
import { Message } from './message/message.entity';
import { MessageRepository } from './message/message.repository';
import { PolicyContextLoader } from './policies/policy-context.loader';
import { ConsoleSmsProvider, NullSmsProvider } from './providers/console.provider';
import { SmsProviderConfig } from './providers/sms-provider-config.entity';
import { SmsProviderConfigService } from './providers/sms-provider-config.service';
import { SmsProviderRegistry } from './providers/sms-provider.registry';
import { ThroughputLimiter } from './providers/throughput-limiter';
import { TemplateRenderer } from './templates/template-renderer';
import { InboundClaimants } from './inbound/inbound-claimants';
import { RecipientNames } from './texts/recipient-names';
import { FlaggedInboundService } from './review/flagged-inbound.service';
import { LineTypeLookup, NumberDeactivation } from './hygiene/hygiene.entities';
import { HygieneRepository } from './hygiene/hygiene.repository';
import { NumberHygiene } from './hygiene/number-hygiene.service';
import { DeactivationImportService } from './hygiene/deactivation-import.service';
import { Sender, SenderBrandLimit } from './senders/sender.entity';
import { SenderDailyCap } from './senders/sender-daily-cap';
import { SenderGate } from './senders/sender-gate.service';
import { SenderRouter } from './senders/sender-router';
import { SenderService } from './senders/sender.service';

/**
 * The send gateway and everything behind it (no HTTP): what other libraries import to send
 * (`SendGateway`), to validate templates (`TemplateRenderer`) and to read the log.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Message, Link, LinkDomain, SmsProviderConfig, Sender, SenderBrandLimit, LineTypeLookup, NumberDeactivation]), ContactsModule, ConsentModule],
  providers: [
    InboundClaimants,
    RecipientNames,
    FlaggedInboundService,
    MessageRepository,
    MessageLogService,
    LinkService,
    LinkDomainService,
    LinkDomainProbe,
    TemplateRenderer,
    RecipientResolver,
    MessageDrafter,
    PolicyContextLoader,
    SendGateway,
    SendOutcomeRecorder,
    ProviderSignals,
    HandoffClaim,
    HandoffBarrier,
    ProviderHandoff,
    SendDispatcher,
    MessageReconciler,
    ConsoleSmsProvider,
    NullSmsProvider,
    SmsProviderConfigService,
    SmsProviderRegistry,
    ThroughputLimiter,
    SenderService,
    SenderRouter,
    SenderDailyCap,
    SenderGate,
    HygieneRepository,
    NumberHygiene,
    DeactivationImportService,
    KeywordResponder,
    InlineReplies,
    AfterAnswerWork,
    InboundSmsService,
    StatusCallbackService,
  ],
  exports: [SenderService, NumberHygiene, HygieneRepository, DeactivationImportService, InboundClaimants, RecipientNames, FlaggedInboundService, SendGateway, MessageReconciler, TemplateRenderer, MessageDrafter, MessageLogService, SendDispatcher, InboundSmsService, StatusCallbackService, SmsProviderConfigService, LinkService, LinkDomainService, LinkDomainProbe, ConsoleSmsProvider],
})
export class MessagingModule {}
