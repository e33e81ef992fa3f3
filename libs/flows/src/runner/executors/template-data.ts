import type { TemplateData } from '../../logic/flow-template-engine';
import type { ConditionData } from '../../logic/condition';
import type { StepContext } from './step-executor';

/** The variables a step's templates see. */
export function templateData(ctx: StepContext): TemplateData {
  const { id, firstName, lastName, phone, email, timeZone, attributes } = ctx.contact;
  const ws = ctx.workspace;
  return {
    contact: { id, firstName, lastName, phone, email, timeZone, attributes },
    event: ctx.event,
    workspace: { name: ws.name, brandName: ws.brandName, supportEmail: ws.supportEmail, supportPhone: ws.supportPhone, supportUrl: ws.supportUrl },
    run: { id: ctx.runId, startedAt: ctx.runStartedAt.toISOString(), arms: ctx.arms },
    flow: { name: ctx.flowName },
    reply: ctx.lastReply ? { body: ctx.lastReply.body, keyword: ctx.lastReply.keyword } : null,
    preference_url: ctx.effects.preferenceUrl(),
    zone: ctx.zone,
  };
}

/** The data branch conditions see. */
export function conditionData(ctx: StepContext): ConditionData {
  const { id, firstName, lastName, phone, email, timeZone, attributes } = ctx.contact;
  return {
    event: ctx.event,
    contact: { id, firstName, lastName, phone, email, timeZone, attributes },
    consent: ctx.consent,
    run: { id: ctx.runId, arms: ctx.arms, reply: ctx.lastReply },
  };
}
