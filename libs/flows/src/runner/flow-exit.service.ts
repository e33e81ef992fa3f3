import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, DomainEventBus } from '@optline/core';
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
    private readonly bus: DomainEventBus,
  ) {}

  /**
   * Ends every live run each event is an exit condition of: one lookup and one transaction for
   * the batch. Answers, per event, the ids of the runs it ended. A run two events of the batch
   * would end is ended by the first (the dispatch never puts such events in one batch call).
   */
  async exitForEvents(workspaceId: string, events: ExitingEvent[]): Promise<string[][]> {
    const candidates = await this.runs.liveForExitMany(
      workspaceId,
      events.map((e) => e.type),
      events.flatMap((e) => (e.contactId ? [e.contactId] : [])),
      events.flatMap((e) => Object.values(e.correlation).filter(Boolean)),
    );
    const endedBy = new Map<string, number>();
    events.forEach((event, i) => {
      for (const { run, version } of candidates) if (!endedBy.has(run.id) && exitMatches(version.definition, run, event)) endedBy.set(run.id, i);
    });
    if (endedBy.size === 0) return events.map(() => []);
    const now = this.clock.now();
    // The reason names the event type: one update per type (a batch has one or two).
    const byReason = new Map<string, string[]>();
    for (const [runId, i] of endedBy) byReason.set(`exit event ${events[i].type}`, [...(byReason.get(`exit event ${events[i].type}`) ?? []), runId]);
    const ended = await this.dataSource.transaction(async (manager) => {
      const ids: string[] = [];
      for (const [reason, runIds] of byReason) ids.push(...(await this.runs.endMany(workspaceId, runIds, 'exited', reason, now, manager)));
      await this.runs.appendTimeline(
        ids.map((runId) => {
          const event = events[endedBy.get(runId)!];
          const detail = { reason: `exit event ${event.type}`, event: event.type, triggerEventId: event.id, correlation: event.correlation };
          return { workspaceId, runId, stepId: null, stepType: null, at: now, outcome: 'exited', detail, messageId: null };
        }),
        manager,
      );
      return ids;
    });
    const byId = new Map(candidates.map(({ run }) => [run.id, run]));
    for (const runId of ended) {
      const run = byId.get(runId)!;
      const reason = `exit event ${events[endedBy.get(runId)!].type}`;
      await this.bus.publish('flow.run_ended', { workspaceId, runId, flowId: run.flowId, contactId: run.contactId, status: 'exited', reason });
    }
    return events.map((_, i) => ended.filter((id) => endedBy.get(id) === i));
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
