import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainEventBus, JobQueue, Workspace } from '@optline/core';
import { Message, MessageStatus, PolicyTraceEntry } from '../message/message.entity';
import { MessageRepository } from '../message/message.repository';
import type { PolicyDecision } from '../policies/send-policy';
import { ProviderError, ProviderAcceptance } from '../providers/sms-provider';
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
    const moved = await this.messages.transition(message.workspaceId, message.id, ['queued', 'deferred'], {
      status: 'blocked',
      reason: decision.reason,
      policyTrace: trace,
      deferredUntil: null,
    });
    if (moved) await this.changed(message, 'blocked');
  }

  async deferred(message: Message, until: Date, reason: string, trace: PolicyTraceEntry[]): Promise<void> {
    const moved = await this.messages.transition(message.workspaceId, message.id, ['queued', 'deferred'], {
      status: 'deferred',
      reason,
      deferredUntil: until,
      policyTrace: trace,
    });
    if (!moved) return;
    await this.rearm(message, until);
    await this.changed(message, 'deferred');
  }

  /**
   * Look at the message again at `until`. The job id names the instant, and `tag` tells apart
   * re-arms made for the same instant (a job that woke early must not collide with itself).
   */
  async rearm(message: Message, until: Date, tag = 'at'): Promise<void> {
    await this.jobs.enqueue('sms.send', { workspaceId: message.workspaceId, messageId: message.id }, { runAt: until, attempt: `${tag}:${until.getTime()}`, now: this.clock.now() });
  }

  /** Consent mode, no conversational consent yet: hold the message and ask once for YES. */
  async held(message: Message, workspace: Workspace, decision: PolicyDecision, trace: PolicyTraceEntry[]): Promise<void> {
    const moved = await this.messages.transition(message.workspaceId, message.id, ['queued', 'deferred'], { status: 'held', reason: decision.reason, policyTrace: trace });
    if (!moved) return;
    await this.changed(message, 'held');
    if (!message.contactId) return;
    await this.gateway.submit({
      workspaceId: message.workspaceId,
      contactId: message.contactId,
      type: 'system',
      template: systemTextTemplate(workspace, 'opt_in_request'),
      data: systemTextData(workspace),
      idempotencyKey: `system:opt_in_request:${message.id}`,
      origin: { systemKind: 'opt_in_request', inReplyTo: message.id },
    });
  }

  async accepted(message: Message, acceptance: ProviderAcceptance): Promise<void> {
    await this.messages.markAccepted(message.workspaceId, message.id, { ...acceptance, at: this.clock.now() });
    await this.changed(message, 'sent');
  }

  /** The row was `sending` when this attempt began: an earlier hand-off ended without an answer. */
  async ambiguous(message: Message, trace: PolicyTraceEntry[], note: string): Promise<void> {
    const moved = await this.messages.transition(message.workspaceId, message.id, ['sending'], { status: 'failed', reason: 'ambiguous_handoff', policyTrace: trace });
    if (!moved) return;
    this.logger.warn({ workspaceId: message.workspaceId, messageId: message.id, note }, 'ambiguous hand-off: the message may or may not have reached the provider; not re-sent (law 4)');
    await this.changed(message, 'failed');
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
    const reason = { retry: 'provider_unavailable', ambiguous: 'ambiguous_handoff', permanent: 'provider_rejected', opt_out: 'provider_opt_out', invalid_number: 'invalid_number' }[error.kind];
    // What the error says about the person is written before the message is marked failed, so
    // whoever sees the failure also sees the opt-out or the suppression.
    if (error.kind === 'opt_out') {
      await this.signals.optedOutAtProvider(workspaceId, message.contactId, message.phone, { provider: message.provider ?? 'unknown', errorCode: error.code, messageId: id });
    } else if (error.kind === 'invalid_number') {
      await this.signals.unreachableNumber(workspaceId, message.phone, { provider: message.provider ?? 'unknown', errorCode: error.code });
    }
    const moved = await this.messages.transition(workspaceId, id, ['sending'], { status: 'failed', reason, errorCode: error.code });
    if (error.kind === 'ambiguous') {
      this.logger.warn({ workspaceId, messageId: id, code: error.code, error: error.message }, 'ambiguous hand-off: the provider may have taken the message; not re-sent (law 4)');
    }
    if (moved) await this.changed(message, 'failed');
    return false;
  }

  async changed(message: Pick<Message, 'workspaceId' | 'id' | 'contactId'>, status: MessageStatus): Promise<void> {
    await this.events.publish('message.status_changed', { workspaceId: message.workspaceId, messageId: message.id, contactId: message.contactId, status });
  }
}
