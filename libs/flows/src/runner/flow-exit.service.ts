import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock } from '@optline/core';
import { DataSource } from 'typeorm';
import type { FlowDefinition } from '../definition/flow-definition';
import type { FlowRun } from '../persistence/flow-run.entity';
import { FlowRunRepository } from '../persistence/flow-run.repository';

/** An event as exit matching needs it. */
export interface ExitingEvent {
  id: string | null;
  type: string;
  correlation: Record<string, string>;
  contactId: string | null;
}

/**
 * Whether an event ends a run: an exit rule of the run's version names the event type and,
 * when the rule has a correlation key, the event carries the run's value for it; without a
 * key, the event is about the run's contact.
 */
export function exitMatches(definition: FlowDefinition, run: Pick<FlowRun, 'contactId' | 'correlationKey'>, event: ExitingEvent): boolean {
  return (definition.exits ?? []).some((exit) => {
    if (exit.event !== event.type) return false;
    if (exit.correlationKey) return run.correlationKey !== '' && event.correlation[exit.correlationKey] === run.correlationKey;
    return event.contactId !== null && event.contactId === run.contactId;
  });
}

/** Ends runs: by exit events, by hand, or all of a flow when it is archived. */
@Injectable()
export class FlowExitService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runs: FlowRunRepository,
    private readonly clock: Clock,
  ) {}

  /** Ends every live run this event is an exit condition of; returns their ids. */
  async exitForEvent(workspaceId: string, event: ExitingEvent): Promise<string[]> {
    const candidates = await this.runs.liveForExit(workspaceId, event.type, event.contactId, Object.values(event.correlation).filter(Boolean));
    const ids = candidates.filter(({ run, version }) => exitMatches(version.definition, run, event)).map(({ run }) => run.id);
    return this.end(workspaceId, ids, `exit event ${event.type}`, { event: event.type, triggerEventId: event.id, correlation: event.correlation });
  }

  async end(workspaceId: string, ids: string[], reason: string, detail: Record<string, unknown> = {}): Promise<string[]> {
    if (ids.length === 0) return [];
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const ended = await this.runs.endMany(workspaceId, ids, 'exited', reason, now, manager);
      await this.runs.appendTimeline(
        ended.map((runId) => ({ workspaceId, runId, stepId: null, stepType: null, at: now, outcome: 'exited', detail: { reason, ...detail }, messageId: null })),
        manager,
      );
      return ended;
    });
  }
}
