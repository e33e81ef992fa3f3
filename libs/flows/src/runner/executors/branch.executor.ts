import type { BranchStep } from '../../definition/flow-definition';
import { evaluateCondition } from '../../logic/condition';
import { segmentIdsOf } from '../../logic/segment-membership';
import type { StepContext, StepExecutor, StepResult } from './step-executor';
import { conditionData } from './template-data';

/** JSON-Logic over the contact, their consent, the event and — read as the step runs — their segments. */
export class BranchStepExecutor implements StepExecutor<BranchStep> {
  readonly type = 'branch' as const;

  async execute(step: BranchStep, ctx: StepContext): Promise<StepResult> {
    const ids = segmentIdsOf(step.condition);
    const segments = ids.length > 0 ? await ctx.effects.segments(ids) : {};
    const result = evaluateCondition(step.condition, { ...conditionData(ctx), segments });
    return { kind: 'next', next: result ? step.then : step.else, outcome: 'branched', detail: { result, to: result ? step.then : step.else } };
  }
}
