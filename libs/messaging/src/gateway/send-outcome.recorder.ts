import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainEventBus, JobQueue, Workspace } from '@optline/core';
import { Message, MessageStatus, PolicyTraceEntry } from '../message/message.entity';
import { MessageRepository } from '../message/message.repository';
import type { PolicyDecision } from '../policies/send-policy';
import { ProviderError } from '../providers/sms-provider';
import { systemTextData, systemTextTemplate } from '../texts/system-texts';
import { ProviderSignals } from './provider-signals.service';
import { SendGateway } from './send-gateway.service';

/**
 * Writes what a send attempt decided onto the message row (compare-and-set on its status, so two
 * workers never both decide), re-arms deferrals, and tells the rest of the hub through
 * `message.status_changed`.
 */
@Injectable()
export class SendOutcomeRecorder {
  private readonly logger = new Logger('SendOutcome');

  constructor(
    private readonly messages: MessageRepository,
    private readonly jobs: JobQueue,
    private readonly events: DomainEventBus,
    private readonly clock: Clock,
    private readonly signals: ProviderSignals,
    private readonly gateway: SendGateway,
  ) {}

  async refused(message: Message, decision: PolicyDecision, trace: PolicyTraceEntry[]): Promise<void> {
    await this.refusedMany([{ message, decision, trace }]);
  }

  /** Blocked at send time: recorded with the reason and the policies' trace (one statement per batch). */
  async refusedMany(refusals: { message: Message; decision: PolicyDecision; trace: PolicyTraceEntry[] }[]): Promise<void> {
    await this.decide(
      refusals.map((r) => ({ message: r.message, status: 'blocked' as const, reason: r.decision.reason, trace: r.trace, deferredUntil: null })),
    );
  }

  async deferred(message: Message, until: Date, reason: string, trace: PolicyTraceEntry[]): Promise<void> {
    await this.deferredMany([{ message, until, reason, trace }]);
  }

  /** Deferred (quiet hours): recorded, and each message's job re-armed for its instant. */
  async deferredMany(deferrals: { message: Message; until: Date; reason: string; trace: PolicyTraceEntry[] }[]): Promise<void> {
    const moved = await this.decide(deferrals.map((d) => ({ message: d.message, status: 'deferred' as const, reason: d.reason, trace: d.trace, deferredUntil: d.until })));
    for (const d of deferrals) if (moved.has(d.message.id)) await this.rearm(d.message, d.until);
  }

  private async decide(rows: { message: Message; status: 'blocked' | 'deferred'; reason: string; trace: PolicyTraceEntry[]; deferredUntil: Date | null }[]): Promise<Set<string>> {
    const byWorkspace = new Map<string, typeof rows>();
    for (const row of rows) byWorkspace.set(row.message.workspaceId, [...(byWorkspace.get(row.message.workspaceId) ?? []), row]);
    const moved = new Set<string>();
    for (const [workspaceId, list] of byWorkspace) {
      const ids = await this.messages.decideMany(
        workspaceId,
        ['queued', 'deferred'],
        list.map((r) => ({ id: r.message.id, status: r.status, reason: r.reason, trace: r.trace, deferredUntil: r.deferredUntil })),
      );
      for (const r of list) {
        if (!ids.has(r.message.id)) continue;
        moved.add(r.message.id);
        await this.changed(r.message, r.status, r.reason);
      }
    }
    return moved;
  }

  /**
   * Look at the message again at `until`. The job id names the instant, and `tag` tells apart
   * re-arms made for the same instant (a job that woke early must not collide with itself).
   * `priority`: a reply a person waits for, taken before queued campaign jobs.
   */
  async rearm(message: Message, until: Date, tag = 'at', priority = false): Promise<void> {
    await this.jobs.enqueue(
      'sms.send',
      { workspaceId: message.workspaceId, messageId: message.id },
      { runAt: until, attempt: `${tag}:${until.getTime()}`, now: this.clock.now(), priority: priority ? 1 : undefined },
    );
  }

  /** Consent mode, no conversational consent yet: hold the message and ask once for YES. */
  async held(message: Message, workspace: Workspace, decision: PolicyDecision, trace: PolicyTraceEntry[]): Promise<void> {
    const moved = await this.messages.transition(message.workspaceId, message.id, ['queued', 'deferred'], { status: 'held', reason: decision.reason, policyTrace: trace });
    if (!moved) return;
    await this.changed(message, 'held', decision.reason);
    if (!message.contactId) return;
    await this.gateway.submit({
      workspaceId: message.workspaceId,
      contactId: message.contactId,
      type: 'system',
      template: systemTextTemplate(workspace, 'opt_in_request_business'),
      data: systemTextData(workspace),
      idempotencyKey: `system:opt_in_request:${message.id}`,
      origin: { systemKind: 'opt_in_request', inReplyTo: message.id },
    });
  }

  /** The provider took these messages (one workspace): their ids stored, `sending` becomes `sent`. */
  async acceptedMany(workspaceId: string, accepted: { message: Message; providerMessageId: string; sender: string | null }[]): Promise<void> {
    if (accepted.length === 0) return;
    await this.messages.markManyAccepted(
      workspaceId,
      accepted.map((a) => ({ id: a.message.id, providerMessageId: a.providerMessageId, sender: a.sender })),
      this.clock.now(),
    );
    for (const a of accepted) await this.changed(a.message, 'sent');
  }

  /**
   * The row was `sending`, claimed longer ago than any provider call lasts: that attempt died
   * without an answer. Whether the provider took the message nobody knows, so it stays `sending`
   * flagged `ambiguous_handoff` — not `failed`, which would say it did not go — and is never sent
   * again (law 4). A status callback still moves it forward. Only an unflagged `sending` row moves,
   * so a hand-off that completed meanwhile (now `sent`) is left alone.
   */
  async ambiguous(message: Message, trace: PolicyTraceEntry[], note: string): Promise<void> {
    const moved = await this.messages.flagAmbiguous(message.workspaceId, message.id, { policyTrace: trace });
    if (!moved) return;
    this.logger.warn({ workspaceId: message.workspaceId, messageId: message.id, note }, 'ambiguous hand-off: the message may or may not have reached the provider; not re-sent (law 4)');
  }

  /**
   * The provider refused or did not answer. Returns true when the attempt should be retried
   * (the message is back to `queued`, certainly not taken by the provider).
   */
  async providerFailed(message: Message, error: ProviderError, finalAttempt: boolean): Promise<boolean> {
    const { workspaceId, id } = message;
    if (error.kind === 'retry' && !finalAttempt) {
      await this.messages.transition(workspaceId, id, ['sending'], { status: 'queued', handedOffAt: null, errorCode: error.code });
      this.logger.warn({ workspaceId, messageId: id, code: error.code }, 'provider unavailable; will retry');
      return true;
    }
    if (error.kind === 'ambiguous') {
      // The request may have reached the provider: the message is neither sent nor failed as far as we know.
      await this.messages.flagAmbiguous(workspaceId, id, { errorCode: error.code });
      this.logger.warn({ workspaceId, messageId: id, code: error.code, error: error.message }, 'ambiguous hand-off: the provider may have taken the message; not re-sent (law 4)');
      return false;
    }
    const reason = { retry: 'provider_unavailable', permanent: 'provider_rejected', opt_out: 'provider_opt_out', invalid_number: 'invalid_number' }[error.kind];
    // What the error says about the person is written before the message is marked failed, so
    // whoever sees the failure also sees the opt-out or the suppression.
    if (error.kind === 'opt_out') {
      await this.signals.optedOutAtProvider(workspaceId, message.contactId, message.phone, { provider: message.provider ?? 'unknown', errorCode: error.code, messageId: id });
    } else if (error.kind === 'invalid_number') {
      await this.signals.unreachableNumber(workspaceId, message.phone, { provider: message.provider ?? 'unknown', errorCode: error.code });
    }
    const moved = await this.messages.transition(workspaceId, id, ['sending'], { status: 'failed', reason, errorCode: error.code });
    if (moved) await this.changed(message, 'failed', reason);
    return false;
  }

  async changed(message: Pick<Message, 'workspaceId' | 'id' | 'contactId' | 'type' | 'origin'>, status: MessageStatus, reason: string | null = null): Promise<void> {
    await this.events.publish('message.status_changed', {
      workspaceId: message.workspaceId,
      messageId: message.id,
      contactId: message.contactId,
      status,
      type: message.type,
      systemKind: message.origin?.systemKind ?? null,
      reason,
    });
  }
}
