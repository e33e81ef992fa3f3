import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsentModule } from '@optline/consent';
import { ContactsModule } from '@optline/contacts';
import { MessagingModule } from '@optline/messaging';
import { Agent } from './agents/agent.entity';
import { AgentReferences } from './agents/agent-references';
import { AgentRepository } from './agents/agent.repository';
import { AgentService } from './agents/agent.service';
import { ConversationEntry } from './conversations/conversation-entry.entity';
import { ConversationEntryRepository } from './conversations/conversation-entry.repository';
import { ConversationErasureHook } from './conversations/conversation-erasure.hook';
import { Conversation } from './conversations/conversation.entity';
import { ConversationRepository } from './conversations/conversation.repository';
import { ConversationService } from './conversations/conversation.service';
import { ConversationTimeline } from './conversations/conversation-timeline.service';
import { TimelineWriter } from './conversations/timeline-writer.service';
import { AutoTexts } from './routing/auto-texts.service';
import { ContactStanding } from './routing/contact-standing.service';
import { ConversationEventsListener } from './routing/conversation-events.listener';
import { ConversationGateway } from './routing/conversation-gateway.service';
import { ConversationOutbox } from './routing/conversation-outbox.service';
import { ConversationRecipientNamer } from './routing/conversation-recipient.namer';
import { ConversationSender } from './routing/conversation-sender.service';
import { InboundRouter } from './routing/inbound-router.service';
import { OptInCoordinator } from './routing/opt-in-coordinator.service';
import { ConversationSettings } from './settings/conversation-settings.entity';
import { ConversationSettingsService } from './settings/conversation-settings.service';
import { ConversationStreamPublisher } from './stream/conversation-stream.publisher';

/**
 * Conversations without HTTP: agents, conversations and their timelines, the opt-in modes and
 * the domain-event listeners. Imported by the API module and the worker module alike — inbound
 * texts and send outcomes happen in either kind of process — and instantiated once per process.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Agent, Conversation, ConversationEntry, ConversationSettings]), ContactsModule, ConsentModule, MessagingModule],
  providers: [
    AgentRepository,
    AgentReferences,
    AgentService,
    ConversationRepository,
    ConversationEntryRepository,
    ConversationService,
    ConversationTimeline,
    TimelineWriter,
    ConversationSettingsService,
    ConversationStreamPublisher,
    ConversationGateway,
    ContactStanding,
    AutoTexts,
    ConversationOutbox,
    ConversationSender,
    OptInCoordinator,
    InboundRouter,
    ConversationEventsListener,
    ConversationErasureHook,
    ConversationRecipientNamer,
  ],
  exports: [AgentService, ConversationService, ConversationTimeline, ConversationSender, ConversationSettingsService],
})
export class ConversationsModule {}
