import { Injectable, Logger } from '@nestjs/common';
import { CONSENT_MESSAGE_TYPES, ConsentMessageType, ConsentService, ConsentState, KeywordVerdict } from '@optline/consent';
import { Clock, DomainEventBus, JobQueue, Workspace } from '@optline/core';
import type { Contact } from '@optline/contacts';
import { SendGateway } from '../gateway/send-gateway.service';
import { Message, SystemMessageKind } from '../message/message.entity';
import { MessageRepository } from '../message/message.repository';
import { systemTextData, systemTextTemplate } from '../texts/system-texts';

/** A reply's job waits this long, so a synchronous (TwiML) answer can deliver it first. */
export const INLINE_REPLY_GRACE_MS = 30_000;

export interface KeywordOutcome {
  /** System replies submitted through the gateway (each still passes the policies). */
  replies: Message[];
  /** Consent types whose state this text changed. */
  changed: ConsentMessageType[];
}

/**
 * What an inbound keyword does: consent through the ledger (source `sms_keyword`, the text as
 * evidence), then a reply through the gateway as a `system` message — STOP confirmation, HELP,
 * opt-in confirmation — and, after YES/START, the release of messages held for that YES.
 */
@Injectable()
export class KeywordResponder {
  private readonly logger = new Logger(KeywordResponder.name);

  constructor(
    private readonly consent: ConsentService,
    private readonly gateway: SendGateway,
    private readonly messages: MessageRepository,
    private readonly jobs: JobQueue,
    private readonly events: DomainEventBus,
    private readonly clock: Clock,
  ) {}

  async respond(
    workspace: Workspace,
    contact: Contact,
    inbound: Message,
    verdict: KeywordVerdict,
    states: Record<ConsentMessageType, ConsentState>,
    options: { inline: boolean },
  ): Promise<KeywordOutcome> {
    const evidence = {
      text: inbound.body,
      keyword: verdict.kind,
      matched: verdict.matched ?? null,
      informal: verdict.informal,
      flagForReview: verdict.flagForReview,
      inboundMessageId: inbound.id,
      provider: inbound.provider,
    };
    const record = async (types: ConsentMessageType[] | 'all', state: ConsentState, extra: Record<string, unknown> = {}) => {
      await this.consent.record(workspace.id, { contactId: contact.id, types, state, source: 'sms_keyword', evidence: { ...evidence, ...extra }, occurredAt: inbound.createdAt });
      return (types === 'all' ? CONSENT_MESSAGE_TYPES : types).filter((t) => states[t] !== state);
    };
    const reply = (kind: SystemMessageKind) => this.reply(workspace, contact, inbound, kind, verdict, options.inline);
    const values = Object.values(states);

    switch (verdict.kind) {
      case 'stop': {
        const changed = await record('all', 'opted_out');
        // One confirmation per opt-out: a repeated STOP changes nothing and is not answered again.
        return { changed, replies: changed.length > 0 ? [await reply('stop_confirmation')] : [] };
      }
      case 'start': {
        const changed = await record('all', 'opted_in');
        const replies = [await reply('start_confirmation')];
        await this.releaseHeld(workspace.id, contact.id);
        return { changed, replies };
      }
      case 'yes': {
        // After STOP only START (or a new explicit opt-in) resubscribes.
        if (values.includes('opted_out')) return { changed: [], replies: [] };
        const confirming = CONSENT_MESSAGE_TYPES.filter(
          (t) => states[t] === 'pending' || (t === 'conversational' && workspace.optInMode === 'consent' && states[t] === 'none'),
        );
        if (confirming.length === 0) return { changed: [], replies: [] };
        // The YES answers a request: the ledger keeps which one, and what it said.
        const request = await this.messages.latestSystemMessage(workspace.id, contact.id, 'opt_in_request');
        const changed = await record(confirming, 'opted_in', request ? { requestMessageId: request.id, requestText: request.body } : {});
        const replies = [await reply('opt_in_confirmation')];
        await this.releaseHeld(workspace.id, contact.id);
        return { changed, replies };
      }
      case 'help':
        return { changed: [], replies: [await reply('help')] };
      default:
        return { changed: [], replies: inbound.status === 'held' ? [await reply('opt_in_request')] : [] };
    }
  }

  private async reply(workspace: Workspace, contact: Contact, inbound: Message, kind: SystemMessageKind, verdict: KeywordVerdict, inline: boolean): Promise<Message> {
    const { message } = await this.gateway.submitDetailed(
      {
        workspaceId: workspace.id,
        contactId: contact.id,
        type: 'system',
        template: systemTextTemplate(workspace, kind),
        data: systemTextData(workspace),
        idempotencyKey: `system:${kind}:${inbound.id}`,
        origin: { systemKind: kind, keyword: verdict.kind, inReplyTo: inbound.id },
      },
      { jobDelayMs: inline ? INLINE_REPLY_GRACE_MS : 0 },
    );
    return message;
  }

  /** After YES/START: held outbound messages go back to the queue, held inbound ones are offered on. */
  private async releaseHeld(workspaceId: string, contactId: string): Promise<void> {
    const outbound = await this.messages.releaseHeld(workspaceId, contactId, 'outbound');
    await this.jobs.enqueueMany(
      'sms.send',
      outbound.map((messageId) => ({ workspaceId, messageId })),
      { attempt: `released:${this.clock.nowMs()}` },
    );
    const inbound = await this.messages.releaseHeld(workspaceId, contactId, 'inbound');
    for (const message of await this.messages.getMany(workspaceId, inbound)) {
      await this.events.publish('sms.received', { workspaceId, contactId, messageId: message.id, body: message.body, keyword: null, claimedByFlow: false });
    }
    if (outbound.length + inbound.length > 0) this.logger.log({ workspaceId, contactId, outbound: outbound.length, inbound: inbound.length }, 'released held messages');
  }
}
