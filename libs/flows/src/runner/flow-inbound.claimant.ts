import { Injectable, OnModuleInit } from '@nestjs/common';
import { InboundClaimants, InboundText } from '@optline/messaging';
import { evaluateCondition } from '../logic/condition';
import { FlowRepository } from '../persistence/flow.repository';
import { FlowRunRepository } from '../persistence/flow-run.repository';
import { smsReceivedData } from './hub-event.bridge';

/**
 * Tells the inbound SMS handling which texts flows will take, before it decides whether a text
 * opens a conversation: a reply to a run waiting for one ("C" to confirm an appointment), or a
 * keyword an active flow filters for ("JOIN"). Such a text is never held behind an opt-in
 * request, so the flow gets it whatever the workspace's opt-in mode.
 */
@Injectable()
export class FlowInboundClaimant implements OnModuleInit {
  readonly name = 'flows';

  constructor(
    private readonly claimants: InboundClaimants,
    private readonly flows: FlowRepository,
    private readonly runs: FlowRunRepository,
  ) {}

  onModuleInit(): void {
    this.claimants.register(this);
  }

  async claims(text: InboundText): Promise<boolean> {
    if ((await this.runs.waitingForReply(text.workspaceId, text.contactId)).length > 0) return true;
    const data = smsReceivedData(null, text.body, null);
    // Only a flow that filters for particular texts claims them; one that takes every text
    // would otherwise silence the inbox.
    return (await this.flows.activeForEvent(text.workspaceId, 'sms.received')).some(
      ({ version }) => version.definition.trigger.filter !== undefined && evaluateCondition(version.definition.trigger.filter, { event: data, contact: {} as never, consent: {} }),
    );
  }
}
