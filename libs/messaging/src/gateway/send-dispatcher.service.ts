import { Injectable } from '@nestjs/common';
import { ContactService } from '@optline/contacts';
import { WorkspaceService } from '@optline/core';
import { MessageRepository } from '../message/message.repository';
import { runPolicies } from '../policies/policy-chain';
import { PolicyContextLoader, policyMessageOf } from '../policies/policy-context.loader';
import type { DispatchOptions, DispatchResult } from './dispatch.types';
import { ProviderHandoff } from './provider-handoff.service';
import { SendOutcomeRecorder } from './send-outcome.recorder';

/**
 * The body of the `sms.send` job: reads the row, runs the policies at the moment of sending
 * (law 2), and hands the message to the provider at most once (law 4). The row is the truth:
 * a job that finds its message already sent, blocked or failed does nothing.
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
  ) {}

  async dispatch(workspaceId: string, messageId: string, options: DispatchOptions = {}): Promise<DispatchResult> {
    const message = await this.messages.get(workspaceId, messageId);
    if (!message) return 'missing';
    if (message.direction !== 'outbound') return 'not_outbound';
    if (message.status === 'held') return 'held';
    if (!['queued', 'deferred', 'sending'].includes(message.status)) return 'already_handled';
    const now = this.handoff.now();
    if (message.status !== 'sending' && message.deferredUntil && message.deferredUntil > now) {
      // Woke before its time (another machine's clock, a reconcile): look again then.
      await this.outcomes.rearm(message, message.deferredUntil, `early-${now.getTime()}`);
      return 'early';
    }

    const workspace = await this.workspaces.get(workspaceId);
    const [contact] = message.contactId ? await this.contacts.getMany(workspaceId, [message.contactId]) : [];
    const context = await this.contextLoader.load(workspace, policyMessageOf(message), contact ?? null, contact ? null : message.phone);
    const { decision, trace } = runPolicies(context, { all: false });
    switch (decision.outcome) {
      case 'fail':
        await this.outcomes.ambiguous(message, trace, decision.reason);
        return 'failed';
      case 'block':
        if (decision.reason === 'already_handled') return 'already_handled';
        await this.outcomes.refused(message, decision, trace);
        return 'blocked';
      case 'defer':
        await this.outcomes.deferred(message, decision.until!, decision.reason, trace);
        return 'deferred';
      case 'hold':
        await this.outcomes.held(message, workspace, decision, trace);
        return 'held';
      default:
        return this.handoff.send(message, context, trace, workspace, options);
    }
  }
}
