import type { SplitStep } from '../../definition/flow-definition';
import { pickArm } from '../../logic/split-arm';
import type { StepContext, StepExecutor, StepResult } from './step-executor';

/** Picks an A/B arm (stable per contact) and records it on the run. */
export class SplitStepExecutor implements StepExecutor<SplitStep> {
  readonly type = 'split' as const;

  async execute(step: SplitStep, ctx: StepContext): Promise<StepResult> {
    const arm = pickArm(step.arms, ctx.flowId, step.id, ctx.contact.id);
    ctx.arms[step.id] = arm.name;
    return { kind: 'next', next: arm.next, outcome: 'split', detail: { arm: arm.name, to: arm.next } };
  }
}
