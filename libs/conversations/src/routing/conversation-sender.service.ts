import { Injectable } from '@nestjs/common';
import { invalidField } from '@optline/core';
import { countSegments } from '@optline/messaging';
import { Conversation } from '../conversations/conversation.entity';
import { EntryView } from '../conversations/entry.presenter';
import { TimelineWriter } from '../conversations/timeline-writer.service';
import { Viewer } from '../conversations/viewer';
import { ConversationSettingsService } from '../settings/conversation-settings.service';
import { AutoTexts } from './auto-texts.service';
import { ContactStanding } from './contact-standing.service';
import { ConversationGateway } from './conversation-gateway.service';
import { agentMessageKey, ConversationOutbox } from './conversation-outbox.service';

/** A disclaimer deferred by quiet hours: the agent's text follows it by this much, never before it. */
const AFTER_DISCLAIMER_MS = 5_000;

export interface SendResult {
  view: EntryView;
  /** The same Idempotency-Key was used before: nothing new happened. */
  replayed: boolean;
}

/**
 * An agent's text, in either opt-in mode (docs/decisions/0132):
 * - consent mode without conversational consent: the text waits in the outbox, the contact gets
 *   the opt-in request in the agent's name (once per pending period), the agent a notice;
 * - disclaimer mode: an agent's first text is preceded by the disclaimer naming them;
 * - otherwise — opted out included — it goes to the gateway, which decides (a STOP: `blocked`).
 */
@Injectable()
export class ConversationSender {
  constructor(
    private readonly settings: ConversationSettingsService,
    private readonly standing: ContactStanding,
    private readonly outbox: ConversationOutbox,
    private readonly autoTexts: AutoTexts,
    private readonly outbound: ConversationGateway,
    private readonly timeline: TimelineWriter,
  ) {}

  async send(viewer: Viewer, conversation: Conversation, body: string, clientKey: string): Promise<SendResult> {
    const previous = await this.outbox.replay(conversation, clientKey);
    if (previous) return { view: previous, replayed: true };

    const settings = await this.settings.effective(conversation.workspaceId);
    const text = body.trim();
    if (text.length === 0) throw invalidField('body', 'must not be empty');
    const { segments } = countSegments(text);
    if (segments > settings.workspace.policy.maxSegments) {
      throw invalidField('body', `the message is ${segments} segments; this workspace allows ${settings.workspace.policy.maxSegments}`, 'too_many_segments');
    }
    const { contact, conversational } = await this.standing.of(conversation.workspaceId, conversation.contactId);
    const agentId = viewer.agent?.id ?? null;
    const agentName = viewer.agent?.displayName ?? settings.teamName;
    const author = { agentId, senderName: agentName, clientKey };
    const mode = settings.workspace.optInMode;

    if (mode === 'consent' && conversational !== 'opted_in' && conversational !== 'opted_out') {
      const held = await this.outbox.hold(conversation, text, author);
      if (held.created) await this.autoTexts.requestOptIn(settings, conversation, contact, agentName, held.entry.id, viewer.auth.apiKeyId ?? null);
      return { view: held.view, replayed: !held.created };
    }

    let notBefore: Date | undefined;
    if (mode === 'disclaimer' && conversational !== 'opted_out') {
      const disclaimer = await this.autoTexts.discloseOnce(settings, conversation, contact, agentId, agentName, 'disclaimerOutbound', clientKey);
      if (disclaimer?.status === 'deferred' && disclaimer.deferredUntil) notBefore = new Date(disclaimer.deferredUntil.getTime() + AFTER_DISCLAIMER_MS);
    }
    const message = await this.outbound.sendNow({
      workspaceId: conversation.workspaceId,
      contactId: contact.id,
      type: 'conversational',
      body: text,
      idempotencyKey: agentMessageKey(conversation.id, clientKey),
      origin: { conversationId: conversation.id, ...(viewer.auth.apiKeyId && { apiKeyId: viewer.auth.apiKeyId }), ...(viewer.auth.userId && { userId: viewer.auth.userId }) },
      notBefore,
    });
    const stored = await this.timeline.add(
      conversation,
      { direction: 'outbound', role: 'agent', messageId: message.id, body: text, outbox: 'submitted', ...author, createdAt: message.createdAt },
      message,
    );
    return { view: stored.view, replayed: !stored.created };
  }
}
