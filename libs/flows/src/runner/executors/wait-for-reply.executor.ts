import type { WaitForReplyStep } from '../../definition/flow-definition';
import { matchReply } from '../../logic/reply-match';
import { addDuration } from '../../time/relative-instant';
import type { StepContext, StepExecutor, StepResult } from './step-executor';

/**
 * Suspends until the contact replies or the timeout passes. A reply no route takes is noted
 * on the timeline and the run keeps waiting, with the same deadline.
 */
export class WaitForReplyStepExecutor implements StepExecutor<WaitForReplyStep> {
  readonly type = 'waitForReply' as const;

  async execute(step: WaitForReplyStep, ctx: StepContext): Promise<StepResult> {
    const resume = ctx.resume;
    if (!resume) {
      const wakeAt = addDuration(ctx.now, step.timeout, ctx.zone);
      return { kind: 'suspend', wakeAt, waitKind: 'reply', outcome: 'waiting_for_reply', detail: { timeoutAt: wakeAt.toISOString() } };
    }
    if (resume.reply) {
      const route = matchReply(step.routes, resume.reply);
      const detail = { reply: resume.reply.body, keyword: resume.reply.keyword, ...(resume.reply.messageId && { replyMessageId: resume.reply.messageId }) };
      if (!route) return { kind: 'suspend', wakeAt: resume.wakeAt, waitKind: 'reply', outcome: 'reply_unmatched', detail };
      ctx.lastReply = { body: resume.reply.body, keyword: resume.reply.keyword };
      return { kind: 'next', next: route.next, outcome: 'replied', detail: { ...detail, route: route.reply === 'keyword' ? `keyword:${route.keyword}` : route.reply } };
    }
    if (ctx.now.getTime() >= resume.wakeAt.getTime()) {
      return { kind: 'next', next: step.onTimeout, outcome: 'timed_out', detail: { timeoutAt: resume.wakeAt.toISOString() } };
    }
    // Woken early with nothing to do (a re-arm): keep waiting.
    return { kind: 'suspend', wakeAt: resume.wakeAt, waitKind: 'reply', outcome: 'still_waiting', detail: {} };
  }
}
