import { Injectable, OnModuleInit } from '@nestjs/common';
import { RecipientNamer, RecipientNames } from '@optline/messaging';
import { ConversationRepository } from '../conversations/conversation.repository';
import { ConversationSettingsService } from '../settings/conversation-settings.service';
import { AutoTexts } from './auto-texts.service';

/**
 * Seed 004's "<Employee>" in the request a client gets when they write first: the agent who owns
 * the contact's conversation, else the team inbox's name.
 */
@Injectable()
export class ConversationRecipientNamer implements RecipientNamer, OnModuleInit {
  constructor(
    private readonly names: RecipientNames,
    private readonly conversations: ConversationRepository,
    private readonly settings: ConversationSettingsService,
    private readonly autoTexts: AutoTexts,
  ) {}

  onModuleInit(): void {
    this.names.register(this);
  }

  async nameFor(workspaceId: string, contactId: string): Promise<string | null> {
    const [conversation, settings] = await Promise.all([this.conversations.byContact(workspaceId, contactId), this.settings.effective(workspaceId)]);
    const name = conversation ? await this.autoTexts.ownerName(settings, conversation) : settings.teamName;
    // The team's default name is the brand, which the text already names ("...reach Acme").
    return name === settings.workspace.brandName ? null : name;
  }

  async inConversation(workspaceId: string, contactId: string): Promise<boolean> {
    return (await this.conversations.byContact(workspaceId, contactId)) !== null;
  }
}
