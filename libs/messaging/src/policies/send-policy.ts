import type { ConsentMessageType, ConsentState } from '@optline/consent';
import type { OptInMode, WorkspacePolicy } from '@optline/core';
import type { MessageStatus, MessageType, SystemMessageKind } from '../message/message.entity';
import type { ZoneResolution } from '../quiet-hours/zone-resolution';

/** What the message log tells the policies about one contact (one query, see MessageRepository.historyFor). */
export interface ContactHistory {
  /** Outbound messages of the capped types handed off within the workspace's cap window. */
  handedOffInCapWindow: number;
  /** Marketing messages handed off within the state's cap window (FTSA & co.), when a state cap applies. */
  marketingInStateCapWindow: number;
  /** Whether any outbound message ever reached the provider for this contact (brand identification). */
  contactedBefore: boolean;
  /** Last hand-off of each system kind. */
  lastSystemHandoff: Partial<Record<SystemMessageKind, Date>>;
  /** Last inbound START/YES (the start of the current opted-in period, as far as keywords tell). */
  lastOptInKeywordAt: Date | null;
}

/** Everything the policies need, loaded before they run; the policies themselves read nothing. */
export interface PolicyContext {
  now: Date;
  workspace: { id: string; optInMode: OptInMode; timeZone: string; policy: WorkspacePolicy };
  message: {
    id: string | null;
    type: MessageType;
    systemKind: SystemMessageKind | null;
    status: MessageStatus;
    createdAt: Date;
    idempotencyKey: string | null;
    /**
     * An opt-in request that answers a held text (a conversation in consent mode, or a person who
     * wrote first): it asks for the conversational consent that text needs, so no pending entry
     * precedes it. Any other opt-in request needs a pending opt-in on record (decision 0160).
     */
    answersHeld?: boolean;
    /**
     * An opt-in request to someone who opted out and then wrote a new message (seed 004): the
     * one request allowed after STOP, since they started the conversation again (decision 0166).
     */
    reoptIn?: boolean;
  };
  /** E.164 of the recipient; null when the contact was erased. */
  phone: string | null;
  contactId: string | null;
  suppressed: boolean;
  consent: Record<ConsentMessageType, ConsentState>;
  /** US state of the number (FL...), when known. */
  region: string | null;
  zone: ZoneResolution;
  history: ContactHistory;
}

export type PolicyOutcome = 'pass' | 'block' | 'defer' | 'hold' | 'fail';

export interface PolicyDecision {
  outcome: PolicyOutcome;
  /** A stable code: `opted_out`, `quiet_hours`, `frequency_cap`... */
  reason: string;
  /** defer: the next allowed instant. */
  until?: Date;
  detail?: Record<string, unknown>;
}

/** One rule checked at send time. Pure: decides from the context alone, so each is unit-tested. */
export interface SendPolicy {
  readonly name: string;
  evaluate(context: PolicyContext): PolicyDecision;
}

export const pass = (reason: string, detail?: Record<string, unknown>): PolicyDecision => ({ outcome: 'pass', reason, detail });
export const block = (reason: string, detail?: Record<string, unknown>): PolicyDecision => ({ outcome: 'block', reason, detail });
