import { Injectable, OnModuleInit } from '@nestjs/common';
import { ContactErasure, ContactErasureHooks } from '@optline/contacts';
import type { EntityManager } from 'typeorm';
import { ConversationRepository } from './conversation.repository';

/** Erasing a contact removes their conversation: agents' copies of texts and notices go with it. */
@Injectable()
export class ConversationErasureHook implements OnModuleInit {
  readonly name = 'conversations';

  constructor(
    private readonly hooks: ContactErasureHooks,
    private readonly conversations: ConversationRepository,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  onErase(erasure: ContactErasure, manager: EntityManager): Promise<void> {
    return this.conversations.deleteForContact(manager, erasure.workspaceId, erasure.contactId);
  }
}
