import { Injectable } from '@nestjs/common';

/**
 * Who a person who writes in is talking to (seed 004's "<Employee>" in the request a client gets
 * when they write first). The conversations library answers with the owner of the contact's
 * conversation or the team's name; messaging never imports it, it registers here at init.
 */
export interface RecipientNamer {
  nameFor(workspaceId: string, contactId: string): Promise<string | null>;
  /** Whether the person is texting with staff (their STOP gets the conversation's confirmation). */
  inConversation(workspaceId: string, contactId: string): Promise<boolean>;
}

@Injectable()
export class RecipientNames {
  private readonly namers: RecipientNamer[] = [];

  register(namer: RecipientNamer): void {
    this.namers.push(namer);
  }

  async inConversation(workspaceId: string, contactId: string): Promise<boolean> {
    for (const namer of this.namers) {
      if (await namer.inConversation(workspaceId, contactId)) return true;
    }
    return false;
  }

  /** The first name a namer gives, or null (the texts then use the brand name). */
  async nameFor(workspaceId: string, contactId: string): Promise<string | null> {
    for (const namer of this.namers) {
      const name = await namer.nameFor(workspaceId, contactId);
      if (name) return name;
    }
    return null;
  }
}
