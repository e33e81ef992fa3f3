import type { ExitStep } from '../../definition/flow-definition';
import type { StepContext, StepExecutor, StepResult } from './step-executor';

export class ExitStepExecutor implements StepExecutor<ExitStep> {
  readonly type = 'exit' as const;

  async execute(step: ExitStep, _ctx: StepContext): Promise<StepResult> {
    return { kind: 'exit', reason: step.reason ?? `exit step "${step.id}"`, outcome: 'exited', detail: { reason: step.reason ?? null } };
  }
}
