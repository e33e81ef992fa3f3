import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { classifyInbound, ConsentService, noConsent } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { maskPhone, WorkspaceService } from '@optline/core';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SendGateway } from '../gateway/send-gateway.service';
import { Message } from '../message/message.entity';
import { MessageRepository, NewMessage } from '../message/message.repository';
import { countSegments } from '../segments/segments';
import { InboundClaimants } from './inbound-claimants';
import { KeywordResponder, stopOptOut } from './keyword-responder.service';
import { StopRecorder } from './stop-recorder';
import { StopSenders, TextSender } from './stop-senders';
import { InlineReplies } from './inline-replies.service';
import { AfterAnswerWork } from './after-answer-work';

/** One inbound text as a provider reported it. */
export interface InboundSms {
  provider: 'twilio' | 'http';
  /** The provider's id of the text: the dedupe key of the webhook (law 4). */
  providerMessageId: string;
  from: string;
  to: string | null;
  body: string;
  /** Twilio Advanced Opt-Out's OptOutType, when present. */
  optOutType?: string;
}

export interface InboundResult {
  message: Message;
  /** The same text was already received (a webhook retry): nothing was done again. */
  duplicate: boolean;
  replies: Message[];
  /** Replies delivered inside the webhook answer (TwiML), when the workspace prefers that. */
  inlineReplies: string[];
}

/**
 * Inbound SMS: store it first (deduplicated by the provider's id) — a STOP together with its
 * opt-out, in one transaction — read keywords, update consent and answer through the gateway, then offer the text to whoever waits for it (`sms.received`:
 * flow runs waiting for a reply, the inbox). In the workspace's "consent" mode a first-time
 * writer gets the opt-in request and their text is held until YES.
 */
@Injectable()
export class InboundSmsService {
  private readonly logger = new Logger(InboundSmsService.name);
  private readonly stops: StopRecorder;
  private readonly stopSenders: StopSenders;

  constructor(
    private readonly workspaces: WorkspaceService,
    private readonly contacts: ContactService,
    private readonly consent: ConsentService,
    private readonly messages: MessageRepository,
    private readonly responder: KeywordResponder,
    private readonly inline: InlineReplies,
    private readonly afterAnswer: AfterAnswerWork,
    private readonly claimants: InboundClaimants,
    gateway: SendGateway,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.stops = new StopRecorder(dataSource, messages, consent, gateway);
    this.stopSenders = new StopSenders(contacts, consent);
  }

  /** The text as stored now; null when it already was (a retry). */
  private async storeText(row: NewMessage & { id: string }): Promise<Message | null> {
    return (await this.messages.insertNew([row])).has(row.id) ? this.messages.get(row.workspaceId, row.id) : null;
  }

  /** Who wrote (upserted as a contact) and their consent as it stands. */
  private async senderOf(workspaceId: string, phone: string): Promise<TextSender> {
    const { contact } = await this.contacts.upsertByPhone(workspaceId, { phone });
    return { contact, states: (await this.consent.statesFor(workspaceId, [contact.id])).get(contact.id) ?? noConsent() };
  }

  /**
   * `answerFirst` (the webhooks): the announcements — a STOP's `consent.changed`, then
   * `sms.received` — run after this returns, so the carrier's answer does not wait for their
   * listeners (AfterAnswerWork); otherwise they are awaited.
   */
  async receive(workspaceId: string, sms: InboundSms, options: { inlineReplies: boolean; answerFirst?: boolean } = { inlineReplies: false }): Promise<InboundResult> {
    const key = `inbound:${sms.provider}:${sms.providerMessageId}`;
    const verdict = classifyInbound(sms.body, sms.optOutType);
    // A STOP's retry is found by the insert of its batch (StopRecorder): a lookup first would cost
    // every STOP of a burst a round trip for the rare retry.
    if (verdict.kind !== 'stop') {
      const [seen] = await this.messages.byIdempotencyKeys(workspaceId, [key]);
      if (seen) return { message: seen, duplicate: true, replies: [], inlineReplies: [] };
    }

    const workspace = await this.workspaces.get(workspaceId);
    // STOPs arrive in bursts: their senders are looked up together (StopSenders).
    const { contact, states } = verdict.kind === 'stop' ? await this.stopSenders.lookup(workspaceId, sms.from) : await this.senderOf(workspaceId, sms.from);
    const values = Object.values(states);
    // A text a flow takes (a reply it waits for, a keyword that starts it) opens no conversation,
    // so it is never held behind an opt-in request.
    const claimedBy = verdict.kind === 'none' ? await this.claimants.claimedBy({ workspaceId, contactId: contact.id, body: sms.body }) : null;
    // Someone who opted out and writes again is asked again (seed 004), never resubscribed by it.
    const unconsented = (!values.includes('opted_in') && !values.includes('opted_out')) || states.conversational === 'opted_out';
    const held = verdict.kind === 'none' && !claimedBy && workspace.optInMode === 'consent' && unconsented;
    const counted = countSegments(sms.body);
    const id = randomUUID();
    const row: NewMessage & { id: string } = {
        id,
        workspaceId,
        contactId: contact.id,
        direction: 'inbound',
        type: 'conversational',
        phone: contact.phone,
        sender: sms.to,
        body: sms.body,
        segments: counted.segments,
        encoding: counted.encoding,
        status: held ? 'held' : 'received',
        reason: held ? 'awaiting_opt_in' : null,
        policyTrace: [],
        deferredUntil: null,
        idempotencyKey: key,
        origin: { ...(verdict.kind !== 'none' && { keyword: verdict.kind }), ...(verdict.flagForReview && { flagForReview: true }) },
        provider: sms.provider,
        providerMessageId: sms.providerMessageId,
        errorCode: null,
        createdAt: this.inline.now(),
    };
    const stop = verdict.kind === 'stop';
    // A STOP is stored with its opt-out and its confirmation, in one transaction (decisions 0158,
    // 0268): a retry never finds the text without them, and the answer waits for no send.
    const storedStop = stop
      ? await this.stops.store(workspaceId, {
          row,
          optOut: stopOptOut(contact.id, { id, body: sms.body, provider: sms.provider, createdAt: row.createdAt! }, verdict),
          confirmation: await this.responder.prepareStopConfirmation(workspace, contact, { id }, verdict, states, options.inlineReplies),
        })
      : null;
    const message = stop ? (storedStop?.message ?? null) : await this.storeText(row);
    if (!message) {
      const [winner] = await this.messages.byIdempotencyKeys(workspaceId, [key]);
      return { message: winner, duplicate: true, replies: [], inlineReplies: [] };
    }
    this.logger.log({ workspaceId, messageId: id, from: maskPhone(contact.phone), keyword: verdict.kind, flagged: verdict.flagForReview }, 'inbound SMS');

    const stopStored = storedStop ? { confirmation: storedStop.confirmation?.message ?? null } : undefined;
    const outcome = await this.responder.respond(workspace, contact, message, verdict, states, { inline: options.inlineReplies, stopStored });
    const inlineReplies = options.inlineReplies ? await this.inline.deliver(workspaceId, outcome.replies) : [];
    // consent.changed (a STOP's opt-out) first, then sms.received, as listeners expect.
    const announce = async () => {
      if (storedStop) await this.consent.publish(storedStop.entries);
      if (!held) await this.inline.published(message, verdict.kind === 'none' ? null : verdict.kind, claimedBy !== null);
    };
    if (options.answerFirst) this.afterAnswer.run(`${workspaceId}:${contact.id}`, announce);
    else await announce();
    return { message, duplicate: false, replies: outcome.replies, inlineReplies };
  }
}
