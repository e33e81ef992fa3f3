import type { SetAttributeStep } from '../../definition/flow-definition';
import { nextOf } from '../../definition/flow-graph';
import { flowTemplates } from '../../logic/flow-template-engine';
import type { StepContext, StepExecutor, StepResult } from './step-executor';
import { templateData } from './template-data';

/** Sets one contact attribute; a string value is rendered as a Liquid template first. */
export class SetAttributeStepExecutor implements StepExecutor<SetAttributeStep> {
  readonly type = 'setAttribute' as const;

  async execute(step: SetAttributeStep, ctx: StepContext): Promise<StepResult> {
    const value = typeof step.value === 'string' ? flowTemplates.render(step.value, templateData(ctx)) : step.value;
    await ctx.effects.setAttribute(step.attribute, value);
    ctx.contact.attributes = { ...ctx.contact.attributes, [step.attribute]: value };
    return { kind: 'next', next: nextOf(ctx.definition, step.id), outcome: 'attribute_set', detail: { attribute: step.attribute, value } };
  }
}
