import type { WebhookStep } from '../../definition/flow-definition';
import { nextOf } from '../../definition/flow-graph';
import type { StepContext, StepExecutor, StepResult } from './step-executor';

/**
 * POSTs the run's data to another system, signed (see FlowWebhookSigner). A failing endpoint
 * does not stop the run: the failure is on the timeline and the flow carries on.
 */
export class WebhookStepExecutor implements StepExecutor<WebhookStep> {
  readonly type = 'webhook' as const;

  async execute(step: WebhookStep, ctx: StepContext): Promise<StepResult> {
    const { id, firstName, lastName, phone, email, attributes } = ctx.contact;
    const body = {
      flow: { id: ctx.flowId, name: ctx.flowName },
      run: { id: ctx.runId, startedAt: ctx.runStartedAt.toISOString(), arms: ctx.arms },
      step: step.id,
      contact: { id, firstName, lastName, phone, email, attributes },
      consent: ctx.consent,
      event: ctx.event,
      reply: ctx.lastReply,
      at: ctx.now.toISOString(),
    };
    const result = await ctx.effects.webhook(step.url, body, step.id);
    const delivered = result.status !== null && result.status >= 200 && result.status < 300;
    return {
      kind: 'next',
      next: nextOf(ctx.definition, step.id),
      outcome: delivered ? 'delivered' : 'delivery_failed',
      detail: { url: step.url, status: result.status, ...(result.error && { error: result.error }) },
    };
  }
}
