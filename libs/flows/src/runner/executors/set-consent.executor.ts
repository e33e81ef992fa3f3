import type { SetConsentStep } from '../../definition/flow-definition';
import { nextOf } from '../../definition/flow-graph';
import type { StepContext, StepExecutor, StepResult } from './step-executor';

/**
 * Records consent in the ledger with source `flow` (opt-in flows). Types already in the target
 * state are left alone, so a retried step does not append a second, identical entry.
 */
export class SetConsentStepExecutor implements StepExecutor<SetConsentStep> {
  readonly type = 'setConsent' as const;

  async execute(step: SetConsentStep, ctx: StepContext): Promise<StepResult> {
    const changing = step.types.filter((type) => ctx.consent[type] !== step.state);
    if (changing.length > 0) await ctx.effects.setConsent(step.state, changing, step.id);
    for (const type of changing) ctx.consent[type] = step.state;
    return { kind: 'next', next: nextOf(ctx.definition, step.id), outcome: changing.length > 0 ? 'consent_recorded' : 'consent_unchanged', detail: { state: step.state, types: changing } };
  }
}
