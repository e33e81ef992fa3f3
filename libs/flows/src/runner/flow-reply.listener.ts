import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock, DomainEventBus, DomainEventMap } from '@optline/core';
import { FlowRunRepository } from '../persistence/flow-run.repository';
import { FlowTimers } from './flow-timers';

/**
 * Resumes a run waiting for this person's reply. The reply is written onto the run row and the
 * run made due before its job is armed, so a crash between the two loses nothing: the
 * reconciler arms the due run. When several runs wait, the most recent wait gets the reply
 * (it asked the latest question).
 */
@Injectable()
export class FlowReplyListener implements OnModuleInit {
  private readonly logger = new Logger(FlowReplyListener.name);

  constructor(
    private readonly bus: DomainEventBus,
    private readonly runs: FlowRunRepository,
    private readonly timers: FlowTimers,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe('sms.received', (sms) => this.deliver(sms).then(() => undefined));
  }

  /** Returns the run that took the reply, if any. */
  async deliver(sms: DomainEventMap['sms.received']): Promise<string | null> {
    const now = this.clock.now();
    for (const run of await this.runs.waitingForReply(sms.workspaceId, sms.contactId)) {
      const reply = { messageId: sms.messageId, body: sms.body, keyword: sms.keyword, at: now.toISOString() };
      if (!(await this.runs.deliverReply(sms.workspaceId, run.id, run.stepId!, reply, now))) continue;
      await this.timers.arm({ id: run.id, workspaceId: run.workspaceId, stepId: run.stepId, wakeAt: now });
      this.logger.debug({ runId: run.id, messageId: sms.messageId }, 'reply handed to flow run');
      // The inbox shows the reply as this run's rather than treating it as a new conversation.
      await this.bus.publish('flow.reply_taken', { workspaceId: sms.workspaceId, contactId: sms.contactId, messageId: sms.messageId, flowRunId: run.id });
      return run.id;
    }
    return null;
  }
}
