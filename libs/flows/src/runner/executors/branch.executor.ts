import type { BranchStep } from '../../definition/flow-definition';
import { evaluateCondition } from '../../logic/condition';
import type { StepContext, StepExecutor, StepResult } from './step-executor';
import { conditionData } from './template-data';

/** JSON-Logic over the contact, their consent and the event. */
export class BranchStepExecutor implements StepExecutor<BranchStep> {
  readonly type = 'branch' as const;

  async execute(step: BranchStep, ctx: StepContext): Promise<StepResult> {
    const result = evaluateCondition(step.condition, conditionData(ctx));
    return { kind: 'next', next: result ? step.then : step.else, outcome: 'branched', detail: { result, to: result ? step.then : step.else } };
  }
}
