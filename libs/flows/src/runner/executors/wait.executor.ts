import type { WaitStep } from '../../definition/flow-definition';
import { nextOf } from '../../definition/flow-graph';
import { addDuration, resolveRelativeInstant } from '../../time/relative-instant';
import type { StepContext, StepExecutor, StepResult } from './step-executor';

/**
 * A duration from now, or an instant relative to an event field (`event.startsAt - PT24H`).
 * With both, the duration applies when the event lacks the field (e.g. Shopify's `recoverAt`,
 * the store's own abandonment wait, with PT1H for other sources). An instant already past skips
 * the wait (to `ifPast` when given). Durations are added in the
 * recipient's zone so "P1D" keeps the wall-clock time across a DST change.
 */
export class WaitStepExecutor implements StepExecutor<WaitStep> {
  readonly type = 'wait' as const;

  async execute(step: WaitStep, ctx: StepContext): Promise<StepResult> {
    const next = nextOf(ctx.definition, step.id);
    if (ctx.resume) return { kind: 'next', next, outcome: 'waited', detail: { until: ctx.resume.wakeAt.toISOString() } };

    if (step.until !== undefined) {
      const until = resolveRelativeInstant(step.until, ctx.event, ctx.zone);
      if (!until && step.duration === undefined) {
        return { kind: 'next', next: step.ifPast ?? next, outcome: 'skipped', detail: { reason: `"${step.until}" does not resolve to a date in the event` } };
      }
      if (until && until.getTime() <= ctx.now.getTime()) {
        return { kind: 'next', next: step.ifPast ?? next, outcome: 'skipped', detail: { reason: 'already past', until: until.toISOString() } };
      }
      if (until) return { kind: 'suspend', wakeAt: until, waitKind: 'timer', outcome: 'waiting', detail: { until: until.toISOString() } };
      // The event has no such field: the duration is the fallback.
    }
    const wakeAt = addDuration(ctx.now, step.duration!, ctx.zone);
    return { kind: 'suspend', wakeAt, waitKind: 'timer', outcome: 'waiting', detail: { until: wakeAt.toISOString(), duration: step.duration } };
  }
}
