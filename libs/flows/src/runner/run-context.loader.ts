import { Injectable } from '@nestjs/common';
import { ConsentService } from '@optline/consent';
import { ContactService, resolveTimeZone } from '@optline/contacts';
import { WorkspaceService } from '@optline/core';
import type { FlowRun } from '../persistence/flow-run.entity';
import type { FlowVersion } from '../persistence/flow-version.entity';
import { StepContext } from './executors';
import { LiveStepEffectsFactory } from './live-step-effects';
import { contactView, workspaceView } from './run-views';

/** Loads what a run's steps read (workspace, contact, consent) once per job. */
@Injectable()
export class RunContextLoader {
  constructor(
    private readonly workspaces: WorkspaceService,
    private readonly contacts: ContactService,
    private readonly consent: ConsentService,
    private readonly effects: LiveStepEffectsFactory,
  ) {}

  /** Null when the contact was erased: the run cannot go on. */
  async load(run: FlowRun, version: FlowVersion): Promise<StepContext | null> {
    const [workspace, contact, states] = await Promise.all([
      this.workspaces.get(run.workspaceId),
      this.contacts.get(run.workspaceId, run.contactId),
      this.consent.statesFor(run.workspaceId, [run.contactId]),
    ]);
    if (contact.erasedAt) return null;
    const zone = (await resolveTimeZone(contact, workspace.timeZone)).zones[0];
    return {
      workspace: workspaceView(workspace),
      flowId: run.flowId,
      flowName: version.definition.name,
      definition: version.definition,
      runId: run.id,
      runStartedAt: run.startedAt,
      arms: { ...(run.context.arms ?? {}) },
      enrolledGroupId: run.enrolledGroupId,
      contact: contactView(contact),
      consent: { ...(states.get(run.contactId) ?? {}) },
      event: run.context.event ?? {},
      lastReply: run.context.lastReply ?? null,
      zone,
      now: new Date(0),
      resume: null,
      effects: this.effects.for({ workspaceId: run.workspaceId, flowId: run.flowId, runId: run.id, contactId: run.contactId, enrolledGroupId: run.enrolledGroupId }),
    };
  }
}
