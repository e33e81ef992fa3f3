import { Injectable, Logger } from '@nestjs/common';
import { CONSENT_MESSAGE_TYPES, ConsentChange, ConsentMessageType, ConsentService, ConsentState, ConsentStates, KeywordVerdict } from '@optline/consent';
import { Clock, DomainEventBus, JobQueue, PreferenceLinks, Workspace } from '@optline/core';
import type { Contact } from '@optline/contacts';
import { PreparedMessage, SendGateway } from '../gateway/send-gateway.service';
import type { SubmitMessageInput } from '../gateway/submit-message';
import { Message, SystemMessageKind } from '../message/message.entity';
import { MessageRepository } from '../message/message.repository';
import { RecipientNames } from '../texts/recipient-names';
import { HELP_PREFERENCE_SUFFIX, replyTextKey, systemTextData, systemTextTemplate } from '../texts/system-texts';

/** A reply's job waits this long, so a synchronous (TwiML) answer can deliver it first. */
export const INLINE_REPLY_GRACE_MS = 30_000;

export interface KeywordOutcome {
  /** System replies submitted through the gateway (each still passes the policies). */
  replies: Message[];
  /** Consent types whose state this text changed. */
  changed: ConsentMessageType[];
}

/** What the ledger keeps of the text that changed someone's consent. */
export function keywordEvidence(inbound: Pick<Message, 'id' | 'body' | 'provider'>, verdict: KeywordVerdict): Record<string, unknown> {
  return {
    text: inbound.body,
    keyword: verdict.kind,
    matched: verdict.matched ?? null,
    informal: verdict.informal,
    flagForReview: verdict.flagForReview,
    inboundMessageId: inbound.id,
    provider: inbound.provider,
  };
}

/** A STOP's opt-out: every type, the text as evidence, the moment it was received. */
export function stopOptOut(contactId: string, inbound: Pick<Message, 'id' | 'body' | 'provider' | 'createdAt'>, verdict: KeywordVerdict): ConsentChange {
  return { contactId, types: 'all', state: 'opted_out', source: 'sms_keyword', evidence: keywordEvidence(inbound, verdict), occurredAt: inbound.createdAt };
}

/** The types a STOP opts out of now: one confirmation per opt-out, none for a repeated STOP. */
function typesAStopChanges(states: ConsentStates): ConsentMessageType[] {
  return CONSENT_MESSAGE_TYPES.filter((t) => states[t] !== 'opted_out');
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
    private readonly recipients: RecipientNames,
    private readonly preferences: PreferenceLinks,
  ) {}

  async respond(
    workspace: Workspace,
    contact: Contact,
    inbound: Message,
    verdict: KeywordVerdict,
    states: Record<ConsentMessageType, ConsentState>,
    /**
     * `stopStored`: a STOP's opt-out — and its confirmation, when it changed anything — is stored
     * with the text itself (InboundSmsService, decisions 0158 and 0268); this only reports them.
     */
    options: { inline: boolean; stopStored?: { confirmation: Message | null } },
  ): Promise<KeywordOutcome> {
    const evidence = keywordEvidence(inbound, verdict);
    const record = async (types: ConsentMessageType[] | 'all', state: ConsentState, extra: Record<string, unknown> = {}) => {
      await this.consent.record(workspace.id, { contactId: contact.id, types, state, source: 'sms_keyword', evidence: { ...evidence, ...extra }, occurredAt: inbound.createdAt });
      return (types === 'all' ? CONSENT_MESSAGE_TYPES : types).filter((t) => states[t] !== state);
    };
    const reply = (kind: SystemMessageKind, extra: { reoptIn?: boolean } = {}) => this.reply(workspace, contact, inbound, kind, verdict, options.inline, extra);
    const values = Object.values(states);

    switch (verdict.kind) {
      case 'stop': {
        // The opt-out and its confirmation were stored with the text (InboundSmsService).
        const confirmation = options.stopStored?.confirmation ?? null;
        return { changed: typesAStopChanges(states), replies: confirmation ? [confirmation] : [] };
      }
      case 'start': {
        const changed = await record('all', 'opted_in');
        const replies = [await reply('start_confirmation')];
        await this.releaseHeld(workspace.id, contact.id);
        return { changed, replies };
      }
      case 'yes': {
        // After STOP only START (or a new explicit opt-in) resubscribes. The explicit opt-in of
        // seed 004: the person wrote again, was asked, and this YES answers that request.
        if (values.includes('opted_out')) return this.reoptIn(workspace, contact, inbound, record, reply);
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
        return { changed: [], replies: inbound.status === 'held' ? [await reply('opt_in_request', { reoptIn: values.includes('opted_out') })] : [] };
    }
  }

  /**
   * YES from someone who opted out: it counts only as the answer to an opt-in request sent after
   * their latest STOP (one they got by writing again). It opts them in to conversational texts —
   * what the request asked for — and releases the text they wrote; marketing stays opted out.
   */
  private async reoptIn(
    workspace: Workspace,
    contact: Contact,
    inbound: Message,
    record: (types: ConsentMessageType[], state: ConsentState, extra?: Record<string, unknown>) => Promise<ConsentMessageType[]>,
    reply: (kind: SystemMessageKind) => Promise<Message>,
  ): Promise<KeywordOutcome> {
    const request = await this.messages.latestSystemMessage(workspace.id, contact.id, 'opt_in_request', { handedOff: true });
    if (!request?.origin.reoptIn) return { changed: [], replies: [] };
    const lastStop = await this.messages.lastInboundKeywordAt(workspace.id, contact.id, ['stop']);
    if (lastStop && lastStop > request.createdAt) return { changed: [], replies: [] };
    const changed = await record(['conversational'], 'opted_in', { requestMessageId: request.id, requestText: request.body, afterOptOut: true });
    const replies = [await reply('opt_in_confirmation')];
    await this.releaseHeld(workspace.id, contact.id);
    return { changed, replies };
  }

  /**
   * A STOP's confirmation, drafted to be stored with the opt-out in one transaction (decision
   * 0268): null when the STOP changes nothing (one confirmation per opt-out; a repeated STOP is not
   * answered again). The caller enqueues it once stored.
   */
  async prepareStopConfirmation(
    workspace: Workspace,
    contact: Contact,
    inbound: Pick<Message, 'id'>,
    verdict: KeywordVerdict,
    states: ConsentStates,
    inline: boolean,
  ): Promise<PreparedMessage | null> {
    if (typesAStopChanges(states).length === 0) return null;
    const { input, jobDelayMs } = await this.replyInput(workspace, contact, inbound, 'stop_confirmation', verdict, inline, {});
    return this.gateway.prepare(workspace, contact, input, { jobDelayMs });
  }

  private async reply(
    workspace: Workspace,
    contact: Contact,
    inbound: Message,
    kind: SystemMessageKind,
    verdict: KeywordVerdict,
    inline: boolean,
    extra: { reoptIn?: boolean },
  ): Promise<Message> {
    const { input, jobDelayMs } = await this.replyInput(workspace, contact, inbound, kind, verdict, inline, extra);
    return (await this.gateway.submitDetailed(input, { jobDelayMs })).message;
  }

  private async replyInput(
    workspace: Workspace,
    contact: Contact,
    inbound: Pick<Message, 'id'>,
    kind: SystemMessageKind,
    verdict: KeywordVerdict,
    inline: boolean,
    extra: { reoptIn?: boolean },
  ): Promise<{ input: SubmitMessageInput; jobDelayMs: number }> {
    // A STOP from someone texting with staff (consent mode) gets seed 004's confirmation — a new
    // message asks them again — and any other seed 003's program confirmation.
    const inConversation = kind === 'stop_confirmation' && workspace.optInMode === 'consent' && (await this.recipients.inConversation(workspace.id, contact.id));
    const key = replyTextKey(kind, verdict.language, inConversation);
    let template = systemTextTemplate(workspace, key);
    if (kind === 'help' && workspace.policy.helpPreferenceLink) template = `${template} ${HELP_PREFERENCE_SUFFIX[verdict.language]}`;
    const data = systemTextData(workspace, {
      recipient: kind === 'opt_in_request' ? await this.recipients.nameFor(workspace.id, contact.id) : null,
      preferenceUrl: this.preferences.urlFor(workspace.id, contact.id),
    });
    return {
      input: {
        workspaceId: workspace.id,
        contactId: contact.id,
        type: 'system',
        template,
        data,
        idempotencyKey: `system:${kind}:${inbound.id}`,
        origin: { systemKind: kind, keyword: verdict.kind, inReplyTo: inbound.id, textKey: key, ...(extra.reoptIn && { reoptIn: true }) },
      },
      jobDelayMs: inline ? INLINE_REPLY_GRACE_MS : 0,
    };
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
