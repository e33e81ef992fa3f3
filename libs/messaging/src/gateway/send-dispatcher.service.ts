import { Injectable } from '@nestjs/common';
import { Contact, ContactService } from '@optline/contacts';
import { BatchOutcome, WorkspaceService } from '@optline/core';
import { NumberHygiene } from '../hygiene/number-hygiene.service';
import { Message, PolicyTraceEntry } from '../message/message.entity';
import { MessageRepository } from '../message/message.repository';
import { AMBIGUOUS_HANDOFF, HANDOFF_TIMEOUT_MS } from '../message/message-status';
import { runPolicies } from '../policies/policy-chain';
import { PolicyContextLoader, policyMessageOf } from '../policies/policy-context.loader';
import type { PolicyContext } from '../policies/send-policy';
import type { DispatchOptions, DispatchResult } from './dispatch.types';
import { PassedMessage, ProviderHandoff } from './provider-handoff.service';
import { SendOutcomeRecorder } from './send-outcome.recorder';

/** How long an inline dispatch waits for a rate-limit slot before leaving the message to its job. */
export const INLINE_SLOT_WAIT_MS = 250;

/** One message to look at now, and whether its job has retries left. */
export interface DispatchItem {
  messageId: string;
  finalAttempt: boolean;
}

/**
 * The body of the `sms.send` jobs: reads the rows, runs the policies at the moment of sending
 * (law 2), and hands the messages to the provider at most once (law 4). The row is the truth: a
 * job that finds its message already sent, blocked or failed does nothing.
 *
 * Works on a batch of messages of one workspace with a handful of statements (rows, contacts,
 * policy context, claims, outcomes), whatever the batch size. Two messages to the same contact
 * are decided in successive rounds, so the second sees the first's hand-off in its history
 * (frequency caps, one STOP confirmation, the first-text disclaimer).
 */
@Injectable()
export class SendDispatcher {
  constructor(
    private readonly messages: MessageRepository,
    private readonly workspaces: WorkspaceService,
    private readonly contacts: ContactService,
    private readonly contextLoader: PolicyContextLoader,
    private readonly handoff: ProviderHandoff,
    private readonly outcomes: SendOutcomeRecorder,
    private readonly hygiene: NumberHygiene,
  ) {}

  /**
   * One message now, inside the caller's request (an inline reply, a conversation's text); throws
   * what its job should retry on. It waits at most INLINE_SLOT_WAIT_MS for a rate-limit slot:
   * a request is never held behind a campaign's sends (the message's own job takes it then).
   */
  async dispatch(workspaceId: string, messageId: string, options: DispatchOptions = {}): Promise<DispatchResult> {
    const [outcome] = await this.dispatchMany(workspaceId, [{ messageId, finalAttempt: options.finalAttempt ?? true }], { maxSlotWaitMs: INLINE_SLOT_WAIT_MS, ...options });
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** result[i] is what became of items[i]; an error outcome means "retry this one later". */
  async dispatchMany(workspaceId: string, items: DispatchItem[], options: Pick<DispatchOptions, 'provider' | 'maxSlotWaitMs'> = {}): Promise<BatchOutcome<DispatchResult>[]> {
    const results = new Map<string, BatchOutcome<DispatchResult>>();
    const rows = new Map((await this.messages.getMany(workspaceId, [...new Set(items.map((i) => i.messageId))])).map((m) => [m.id, m]));
    const now = this.handoff.now();
    const due: { message: Message; finalAttempt: boolean }[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      if (seen.has(item.messageId)) continue;
      seen.add(item.messageId);
      const message = rows.get(item.messageId);
      const early = message?.status !== 'sending' && message?.deferredUntil && message.deferredUntil > now;
      const verdict = !message ? 'missing' : message.direction !== 'outbound' ? 'not_outbound' : message.status === 'held' ? 'held' : message.status === 'sending' ? handoffVerdict(message, now) : !['queued', 'deferred'].includes(message.status) ? 'already_handled' : early ? 'early' : null;
      if (verdict === 'early') {
        // Woke before its time (another machine's clock, a reconcile): look again then.
        await this.outcomes.rearm(message!, message!.deferredUntil!, `early-${now.getTime()}`);
      }
      if (verdict === 'ambiguous') {
        // Claimed longer ago than any provider call lasts, with no outcome: that attempt died (law 4).
        const trace: PolicyTraceEntry[] = [...(message!.policyTrace ?? []), { policy: 'duplicate_key', outcome: 'fail', reason: AMBIGUOUS_HANDOFF, detail: { handedOffAt: message!.handedOffAt, note: 'no outcome from the provider call; not re-sent' } }];
        await this.outcomes.ambiguous(message!, trace, 'stale hand-off');
      }
      if (verdict) results.set(item.messageId, { ok: true, value: verdict });
      else due.push({ message: message!, finalAttempt: item.finalAttempt });
    }
    for (const round of roundsByContact(due)) {
      for (const [id, outcome] of await this.decide(workspaceId, round, options)) results.set(id, outcome);
    }
    return items.map((item) => results.get(item.messageId)!);
  }

  private async decide(workspaceId: string, round: { message: Message; finalAttempt: boolean }[], options: Pick<DispatchOptions, 'provider' | 'maxSlotWaitMs'>): Promise<Map<string, BatchOutcome<DispatchResult>>> {
    const results = new Map<string, BatchOutcome<DispatchResult>>();
    const settle = (message: Message, value: DispatchResult) => results.set(message.id, { ok: true, value });
    const workspace = await this.workspaces.get(workspaceId);
    const contactIds = round.filter((r) => r.message.contactId).map((r) => r.message.contactId!);
    const contacts = new Map<string, Contact>(contactIds.length > 0 ? (await this.contacts.getMany(workspaceId, contactIds)).map((c) => [c.id, c]) : []);
    const contexts = await this.contextLoader.loadMany(
      workspace,
      round.map(({ message }) => {
        const contact = message.contactId ? (contacts.get(message.contactId) ?? null) : null;
        return { message: policyMessageOf(message), contact, phoneIfNoContact: contact ? null : message.phone };
      }),
    );

    await this.screenFirstTexts(workspaceId, contexts);

    const refused: Parameters<SendOutcomeRecorder['refusedMany']>[0] = [];
    const deferred: Parameters<SendOutcomeRecorder['deferredMany']>[0] = [];
    const passed: PassedMessage[] = [];
    for (const [i, { message, finalAttempt }] of round.entries()) {
      const context = contexts[i];
      const { decision, trace } = runPolicies(context, { all: false });
      switch (decision.outcome) {
        case 'fail':
          await this.outcomes.ambiguous(message, trace, decision.reason);
          settle(message, 'failed');
          break;
        case 'block':
          if (decision.reason !== 'already_handled') refused.push({ message, decision, trace });
          settle(message, decision.reason === 'already_handled' ? 'already_handled' : 'blocked');
          break;
        case 'defer':
          deferred.push({ message, until: decision.until!, reason: decision.reason, trace });
          settle(message, 'deferred');
          break;
        case 'hold':
          await this.outcomes.held(message, workspace, decision, trace);
          settle(message, 'held');
          break;
        default:
          passed.push({ message, context, trace, finalAttempt });
      }
    }
    await this.outcomes.refusedMany(refused);
    await this.outcomes.deferredMany(deferred);
    const handed = await this.handoff.sendMany(workspace, passed, options);
    passed.forEach((p, i) => results.set(p.message.id, handed[i]));
    return results;
  }

  /**
   * Number hygiene before a first text (docs/compliance.md): a number never texted and without a
   * fresh line-type answer is looked up now, the batch's numbers together; a landline or an
   * invalid number is suppressed, and the suppression policy blocks the text. Most numbers were
   * looked up at import (the sweep) and cost one indexed query here; a reply to someone who just
   * texted us needs no lookup.
   */
  private async screenFirstTexts(workspaceId: string, contexts: PolicyContext[]): Promise<void> {
    const first = contexts.filter((c) => c.phone && !c.suppressed && !c.history.contactedBefore && c.message.type !== 'system');
    if (first.length === 0 || !(await this.hygiene.enabled(workspaceId))) return;
    const { suppressed } = await this.hygiene.screen(workspaceId, first.map((c) => c.phone!));
    for (const c of first) if (suppressed.has(c.phone!)) c.suppressed = true;
  }
}

/**
 * A job found its message `sending`. Another attempt may be calling the provider right now (a
 * second job for the message: a re-arm, the reconciler, a stalled job run again): within
 * HANDOFF_TIMEOUT_MS that hand-off is left alone. Past it, the attempt died without an outcome.
 */
function handoffVerdict(message: Message, now: Date): DispatchResult {
  if (message.reason === AMBIGUOUS_HANDOFF) return 'already_handled';
  const claimedAt = message.handedOffAt?.getTime() ?? 0;
  return now.getTime() - claimedAt < HANDOFF_TIMEOUT_MS ? 'in_flight' : 'ambiguous';
}

/** Splits a batch so that no contact has two messages in one round, keeping each contact's order. */
function roundsByContact<T extends { message: Message }>(entries: T[]): T[][] {
  const rounds: T[][] = [];
  const depth = new Map<string, number>();
  for (const entry of entries) {
    const key = entry.message.contactId ?? `phone:${entry.message.phone}`;
    const k = depth.get(key) ?? 0;
    depth.set(key, k + 1);
    (rounds[k] ??= []).push(entry);
  }
  return rounds;
}
