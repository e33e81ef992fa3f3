import type { SendStep } from '../../definition/flow-definition';
import { flowTemplates } from '../../logic/flow-template-engine';
import type { StepContext, StepExecutor, StepResult } from './step-executor';
import { templateData } from './template-data';
import { nextOf } from '../../definition/flow-graph';

/**
 * Renders the template and hands the message to the gateway with the key `run:<run>:<step>`:
 * a retried or re-armed step finds the message it already made instead of making another.
 * The gateway decides at send time whether it may go (consent, quiet hours, caps).
 */
export class SendStepExecutor implements StepExecutor<SendStep> {
  readonly type = 'send' as const;

  async execute(step: SendStep, ctx: StepContext): Promise<StepResult> {
    const links = ctx.effects.linkCollector();
    const body = flowTemplates.render(step.template, templateData(ctx), links.sink);
    const type = step.messageType ?? ctx.definition.messageType;
    const sent = await ctx.effects.send({
      idempotencyKey: `run:${ctx.runId}:${step.id}`,
      type,
      body,
      stepId: step.id,
      systemKind: step.systemKind ?? null,
      links: links.links,
    });
    return {
      kind: 'next',
      next: nextOf(ctx.definition, step.id),
      outcome: 'sent',
      messageId: sent.messageId,
      detail: { body, type, ...(sent.sendAt && { sendAt: sent.sendAt.toISOString() }), ...(sent.status && { status: sent.status }) },
    };
  }
}
