import { Injectable } from '@nestjs/common';
import { ConsentService } from '@optline/consent';
import { ContactService, resolveTimeZone } from '@optline/contacts';
import { NotFoundError, WorkspaceService } from '@optline/core';
import type { FlowRun } from '../persistence/flow-run.entity';
import type { FlowVersion } from '../persistence/flow-version.entity';
import { StepContext } from './executors';
import { LiveStepEffectsFactory } from './live-step-effects';
import { contactView, workspaceView } from './run-views';

/** Loads what a run's steps read (workspace, contact, consent) once per job, for a batch of runs in two queries. */
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
    return (await this.loadMany(run.workspaceId, [{ run, version }])).get(run.id)!;
  }

  /** The contexts of runs of one workspace, by run id (null: the contact was erased). */
  async loadMany(workspaceId: string, runs: { run: FlowRun; version: FlowVersion }[]): Promise<Map<string, StepContext | null>> {
    const contactIds = runs.map(({ run }) => run.contactId);
    const [workspace, contacts, states] = await Promise.all([
      this.workspaces.get(workspaceId),
      this.contacts.getMany(workspaceId, contactIds),
      this.consent.statesFor(workspaceId, contactIds),
    ]);
    const byId = new Map(contacts.map((c) => [c.id, c]));
    const contexts = new Map<string, StepContext | null>();
    for (const { run, version } of runs) {
      const contact = byId.get(run.contactId);
      if (!contact) throw new NotFoundError('Contact', run.contactId);
      if (contact.erasedAt) {
        contexts.set(run.id, null);
        continue;
      }
      const zone = (await resolveTimeZone(contact, workspace.timeZone)).zones[0];
      contexts.set(run.id, {
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
        effects: this.effects.for({ workspaceId, flowId: run.flowId, runId: run.id, contactId: run.contactId, enrolledGroupId: run.enrolledGroupId, campaignId: run.context.eventType === 'campaign' ? (run.context.correlation?.campaignId ?? null) : null, trace: run.context.trace ?? null }),
      });
    }
    return contexts;
  }
}
