import { Module } from '@nestjs/common';
import { AgentController } from './agents/agent.controller';
import { ConversationController } from './conversations/conversation.controller';
import { ConversationsModule } from './conversations.module';
import { ConversationSettingsController } from './settings/conversation-settings.controller';
import { ConversationStreamHub } from './stream/conversation-stream.hub';
import { ConversationStreamService } from './stream/conversation-stream.service';

/** The conversations HTTP surface: /v1/conversations (and its event stream), /v1/agents, /v1/conversation-settings. */
@Module({
  imports: [ConversationsModule],
  controllers: [ConversationController, AgentController, ConversationSettingsController],
  providers: [ConversationStreamHub, ConversationStreamService],
})
export class ConversationsApiModule {}
