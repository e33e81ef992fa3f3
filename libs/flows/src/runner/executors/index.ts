import type { FlowStep, StepType } from '../../definition/flow-definition';
import { BranchStepExecutor } from './branch.executor';
import { ExitStepExecutor } from './exit.executor';
import { AddToGroupStepExecutor, RemoveFromGroupStepExecutor } from './group.executor';
import { SendStepExecutor } from './send.executor';
import { SetAttributeStepExecutor } from './set-attribute.executor';
import { SetConsentStepExecutor } from './set-consent.executor';
import { SplitStepExecutor } from './split.executor';
import type { StepContext, StepExecutor, StepResult } from './step-executor';
import { WaitForReplyStepExecutor } from './wait-for-reply.executor';
import { WaitStepExecutor } from './wait.executor';
import { WebhookStepExecutor } from './webhook.executor';

export * from './step-executor';

const EXECUTORS: { [T in StepType]: StepExecutor<Extract<FlowStep, { type: T }>> } = {
  send: new SendStepExecutor(),
  wait: new WaitStepExecutor(),
  waitForReply: new WaitForReplyStepExecutor(),
  branch: new BranchStepExecutor(),
  split: new SplitStepExecutor(),
  addToGroup: new AddToGroupStepExecutor(),
  removeFromGroup: new RemoveFromGroupStepExecutor(),
  setConsent: new SetConsentStepExecutor(),
  setAttribute: new SetAttributeStepExecutor(),
  webhook: new WebhookStepExecutor(),
  exit: new ExitStepExecutor(),
};

/** Runs one step with the executor of its type (the runner and the simulator both call this). */
export function executeStep(step: FlowStep, ctx: StepContext): Promise<StepResult> {
  return (EXECUTORS[step.type] as StepExecutor).execute(step, ctx);
}
