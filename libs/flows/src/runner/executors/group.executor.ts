import type { AddToGroupStep, RemoveFromGroupStep } from '../../definition/flow-definition';
import { nextOf } from '../../definition/flow-graph';
import type { StepContext, StepExecutor, StepResult } from './step-executor';

/**
 * The Opted-In and Opted-Out groups follow consent (the consent ledger moves people in and out),
 * so a step naming them records that instead of changing membership by hand.
 */
function outcomeOf(groupId: string | null, followsConsent: boolean | undefined, done: string): string {
  if (!groupId) return 'no_group';
  return followsConsent ? 'follows_consent' : done;
}

/** Adds the contact to a group (idempotent: a member stays a member). */
export class AddToGroupStepExecutor implements StepExecutor<AddToGroupStep> {
  readonly type = 'addToGroup' as const;

  async execute(step: AddToGroupStep, ctx: StepContext): Promise<StepResult> {
    const { groupId, followsConsent } = await ctx.effects.addToGroup(step.group);
    return { kind: 'next', next: nextOf(ctx.definition, step.id), outcome: outcomeOf(groupId, followsConsent, 'added'), detail: { group: step.group, groupId } };
  }
}

/** Removes the contact from a group (idempotent). */
export class RemoveFromGroupStepExecutor implements StepExecutor<RemoveFromGroupStep> {
  readonly type = 'removeFromGroup' as const;

  async execute(step: RemoveFromGroupStep, ctx: StepContext): Promise<StepResult> {
    const { groupId, followsConsent } = await ctx.effects.removeFromGroup(step.group);
    return { kind: 'next', next: nextOf(ctx.definition, step.id), outcome: outcomeOf(groupId, followsConsent, 'removed'), detail: { group: step.group, groupId } };
  }
}
