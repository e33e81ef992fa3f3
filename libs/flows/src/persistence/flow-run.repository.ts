import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, In, LessThanOrEqual, Repository } from 'typeorm';
import { FlowRun, LIVE_RUN_STATUSES, RunStatus } from './flow-run.entity';
import { FlowRunStep } from './flow-run-step.entity';
import { FlowVersion } from './flow-version.entity';

export type NewRun = Pick<
  FlowRun,
  'workspaceId' | 'flowId' | 'flowVersionId' | 'contactId' | 'triggerEventId' | 'correlationKey' | 'status' | 'stepId' | 'wakeAt' | 'waitKind' | 'context' | 'enrolledGroupId' | 'startedAt'
>;

export type TimelineLine = Pick<FlowRunStep, 'workspaceId' | 'runId' | 'stepId' | 'stepType' | 'at' | 'outcome' | 'detail' | 'messageId'>;

/** A live run with the definition of its version (for exit matching). */
export interface LiveRunWithVersion {
  run: FlowRun;
  version: FlowVersion;
}

/** Runs and their timelines. Every query takes the workspace, except the reconciler's scan. */
@Injectable()
export class FlowRunRepository {
  constructor(
    @InjectRepository(FlowRun) private readonly runs: Repository<FlowRun>,
    @InjectRepository(FlowRunStep) private readonly steps: Repository<FlowRunStep>,
  ) {}

  /**
   * Inserts runs, skipping those that would be a second live run for the same flow, contact and
   * correlation key (or a second run of the same trigger event): the unique indexes decide, so
   * concurrent duplicates cannot both win. Returns the runs actually created.
   */
  async insertMany(rows: NewRun[], manager?: EntityManager): Promise<FlowRun[]> {
    if (rows.length === 0) return [];
    // Ids are made here so the runs can be returned without reading them back; one statement of
    // column arrays whatever the batch (a campaign page is 1,000 runs).
    const ids = rows.map(() => randomUUID());
    const result: unknown = await (manager ?? this.runs.manager).query(
      `INSERT INTO flow_run (id, workspace_id, flow_id, flow_version_id, contact_id, trigger_event_id, correlation_key, status, step_id, wake_at,
                             wait_kind, context, enrolled_group_id, started_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::text[],
                            $10::timestamptz[], $11::text[], $12::jsonb[], $13::uuid[], $14::timestamptz[])
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
        ids,
        rows.map((r) => r.workspaceId),
        rows.map((r) => r.flowId),
        rows.map((r) => r.flowVersionId),
        rows.map((r) => r.contactId),
        rows.map((r) => r.triggerEventId),
        rows.map((r) => r.correlationKey),
        rows.map((r) => r.status),
        rows.map((r) => r.stepId),
        rows.map((r) => r.wakeAt),
        rows.map((r) => r.waitKind),
        rows.map((r) => JSON.stringify(r.context)),
        rows.map((r) => r.enrolledGroupId),
        rows.map((r) => r.startedAt),
      ],
    );
    const inserted = new Set((Array.isArray(result) ? (result as { id: string }[]) : []).map((r) => r.id));
    const now = new Date();
    return rows.flatMap((row, i) => (inserted.has(ids[i]) ? [Object.assign(new FlowRun(), row, { id: ids[i], exitReason: null, endedAt: null, updatedAt: now })] : []));
  }

  async findById(workspaceId: string, id: string): Promise<FlowRun | null> {
    return this.runs.findOne({ where: { workspaceId, id } });
  }

  /** Locks the run for one step (serialises the timer, a reply and a re-arm of the same run). */
  async lock(manager: EntityManager, workspaceId: string, id: string): Promise<FlowRun | null> {
    return manager.getRepository(FlowRun).findOne({ where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Locks many runs for one step each, in id order (two batches that share runs wait for each
   * other instead of deadlocking). Runs not found are left out.
   */
  async lockMany(manager: EntityManager, workspaceId: string, ids: string[]): Promise<FlowRun[]> {
    if (ids.length === 0) return [];
    return manager
      .getRepository(FlowRun)
      .createQueryBuilder('r')
      .where('r.workspace_id = :workspaceId AND r.id IN (:...ids)', { workspaceId, ids })
      .orderBy('r.id', 'ASC')
      .setLock('pessimistic_write')
      .getMany();
  }

  /** Writes what steps changed on many runs (status, step, wake-up, context, ending) in one statement. */
  async saveMany(runs: FlowRun[], manager: EntityManager): Promise<void> {
    if (runs.length === 0) return;
    await manager.query(
      `UPDATE flow_run r
          SET status = v.status, step_id = v.step_id, wake_at = v.wake_at, wait_kind = v.wait_kind, ended_at = v.ended_at,
              exit_reason = v.exit_reason, context = v.context, updated_at = now()
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::timestamptz[], $8::text[], $9::jsonb[])
              AS v(id, status, step_id, wake_at, wait_kind, ended_at, exit_reason, context)
        WHERE r.workspace_id = $1 AND r.id = v.id`,
      [
        runs[0].workspaceId,
        runs.map((r) => r.id),
        runs.map((r) => r.status),
        runs.map((r) => r.stepId),
        runs.map((r) => r.wakeAt),
        runs.map((r) => r.waitKind),
        runs.map((r) => r.endedAt),
        runs.map((r) => r.exitReason),
        runs.map((r) => JSON.stringify(r.context)),
      ],
    );
  }

  async appendTimeline(lines: TimelineLine[], manager?: EntityManager): Promise<void> {
    if (lines.length === 0) return;
    await (manager ?? this.steps.manager).query(
      `INSERT INTO flow_run_step (workspace_id, run_id, step_id, step_type, at, outcome, detail, message_id)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::jsonb[], $8::uuid[])`,
      [
        lines.map((l) => l.workspaceId),
        lines.map((l) => l.runId),
        lines.map((l) => l.stepId),
        lines.map((l) => l.stepType),
        lines.map((l) => l.at),
        lines.map((l) => l.outcome),
        lines.map((l) => JSON.stringify(l.detail ?? {})),
        lines.map((l) => l.messageId),
      ],
    );
  }

  async timeline(workspaceId: string, runId: string): Promise<FlowRunStep[]> {
    return this.steps.find({ where: { workspaceId, runId }, order: { id: 'ASC' } });
  }

  async listForFlow(workspaceId: string, flowId: string, filter: { status?: RunStatus; contactId?: string; after?: string; limit: number }): Promise<FlowRun[]> {
    const qb = this.runs
      .createQueryBuilder('r')
      .where('r.workspace_id = :workspaceId AND r.flow_id = :flowId', { workspaceId, flowId })
      .orderBy('r.started_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .take(filter.limit);
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    if (filter.contactId) qb.andWhere('r.contact_id = :contactId', { contactId: filter.contactId });
    if (filter.after) {
      qb.andWhere(
        new Brackets((w) =>
          w.where('(r.started_at, r.id) < (SELECT started_at, id FROM flow_run WHERE id = :after AND workspace_id = :workspaceId)', { after: filter.after }),
        ),
      );
    }
    return qb.getMany();
  }

  /** Latest start per contact of this flow (re-entry rules for a batch), one query. */
  async lastStarts(workspaceId: string, flowId: string, contactIds: string[]): Promise<Map<string, Date>> {
    if (contactIds.length === 0) return new Map();
    const rows: { contact_id: string; started_at: Date }[] = await this.runs.query(
      `SELECT DISTINCT ON (contact_id) contact_id, started_at FROM flow_run
        WHERE workspace_id = $1 AND flow_id = $2 AND contact_id = ANY($3::uuid[]) ORDER BY contact_id, started_at DESC`,
      [workspaceId, flowId, contactIds],
    );
    return new Map(rows.map((r) => [r.contact_id, r.started_at]));
  }

  /** Ends live runs (exit events, archive, manual exit); returns the ids that were live. */
  async endMany(workspaceId: string, ids: string[], status: RunStatus, reason: string, at: Date, manager?: EntityManager): Promise<string[]> {
    if (ids.length === 0) return [];
    const result = await (manager ?? this.runs.manager).query(
      `UPDATE flow_run SET status = $3, exit_reason = $4, ended_at = $5, wake_at = NULL, wait_kind = NULL, updated_at = now()
        WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND status IN ('active', 'waiting') RETURNING id`,
      [workspaceId, ids, status, reason, at],
    );
    return (result[0] as { id: string }[]).map((r) => r.id);
  }

  /** Live runs of one enrolment (flow and start instant) still on `stepId`, by id after a cursor. */
  async liveIdsOfEnrolment(workspaceId: string, flowId: string, startedAt: Date, stepId: string, after: string | null, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.runs.query(
      `SELECT id FROM flow_run
        WHERE workspace_id = $1 AND flow_id = $2 AND started_at = $3 AND step_id = $4 AND status IN ('active', 'waiting') AND ($5::uuid IS NULL OR id > $5)
        ORDER BY id LIMIT $6`,
      [workspaceId, flowId, startedAt, stepId, after, limit],
    );
    return rows.map((r) => r.id);
  }

  async liveIdsOfFlow(workspaceId: string, flowId: string, after: string | null, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.runs.query(
      `SELECT id FROM flow_run WHERE workspace_id = $1 AND flow_id = $2 AND status IN ('active', 'waiting') AND ($3::uuid IS NULL OR id > $3) ORDER BY id LIMIT $4`,
      [workspaceId, flowId, after, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Runs of this contact waiting for a reply, the most recently started wait first. */
  async waitingForReply(workspaceId: string, contactId: string): Promise<FlowRun[]> {
    return this.runs.find({
      where: { workspaceId, contactId, status: 'waiting', waitKind: 'reply' },
      order: { updatedAt: 'DESC' },
      take: 10,
    });
  }

  /**
   * Hands a reply to a run waiting for one: stored on the row and the run made due now, in one
   * conditional update (the run may have timed out meanwhile). The step job consumes it.
   */
  async deliverReply(workspaceId: string, runId: string, stepId: string, reply: FlowRun['context']['pendingReply'], now: Date): Promise<boolean> {
    const result = await this.runs.query(
      `UPDATE flow_run
          SET context = jsonb_set(
                jsonb_set(context, '{replyTimeoutAt}', COALESCE(context->'replyTimeoutAt', to_jsonb(wake_at))),
                '{pendingReply}', $4::jsonb),
              wake_at = $5, updated_at = now()
        WHERE workspace_id = $1 AND id = $2 AND step_id = $3 AND status = 'waiting' AND wait_kind = 'reply'
          AND (context->'pendingReply' IS NULL OR context->'pendingReply' = 'null'::jsonb)
        RETURNING id`,
      [workspaceId, runId, stepId, JSON.stringify(reply), now],
    );
    return (result[0] as unknown[]).length > 0;
  }

  /**
   * Live runs due by `now` (every workspace: the reconciler's scan), oldest first, after a
   * keyset cursor.
   */
  async due(now: Date, limit: number, after?: { wakeAt: Date; id: string }): Promise<Pick<FlowRun, 'id' | 'workspaceId' | 'stepId' | 'wakeAt' | 'status' | 'flowId' | 'startedAt'>[]> {
    const qb = this.runs
      .createQueryBuilder('r')
      .select(['r.id', 'r.workspaceId', 'r.stepId', 'r.wakeAt', 'r.status', 'r.flowId', 'r.startedAt'])
      .where(`r.status IN ('active', 'waiting')`)
      .andWhere('r.wake_at <= :now', { now })
      .orderBy('r.wake_at', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .take(limit);
    if (after) qb.andWhere('(r.wake_at, r.id) > (:afterAt, :afterId)', { afterAt: after.wakeAt, afterId: after.id });
    return qb.getMany();
  }

  async countLive(workspaceId: string, flowId: string): Promise<number> {
    return this.runs.count({ where: { workspaceId, flowId, status: In(LIVE_RUN_STATUSES) } });
  }

  /** Live-run counts of the workspace's flows, for the list view. */
  async liveCounts(workspaceId: string): Promise<Map<string, number>> {
    const rows: { flow_id: string; n: string }[] = await this.runs.query(
      `SELECT flow_id, count(*) AS n FROM flow_run WHERE workspace_id = $1 AND status IN ('active', 'waiting') GROUP BY flow_id`,
      [workspaceId],
    );
    return new Map(rows.map((r) => [r.flow_id, Number(r.n)]));
  }

  /** Whether any due run exists (tests and health: "is there work left"). */
  async anyDue(now: Date): Promise<boolean> {
    return (await this.runs.count({ where: { status: In(LIVE_RUN_STATUSES), wakeAt: LessThanOrEqual(now) }, take: 1 })) > 0;
  }

  /**
   * `liveForExit` for a batch of events: live runs whose version exits on one of the types and
   * that belong to one of the contacts or carry one of the correlation values. The exact rule
   * (which event ends which run) is applied by the caller.
   */
  async liveForExitMany(workspaceId: string, eventTypes: string[], contactIds: string[], correlationValues: string[]): Promise<LiveRunWithVersion[]> {
    if (eventTypes.length === 0 || (contactIds.length === 0 && correlationValues.length === 0)) return [];
    const rows = await this.runs
      .createQueryBuilder('r')
      .innerJoinAndMapOne('r.flowVersion', FlowVersion, 'v', 'v.id = r.flow_version_id')
      .where('r.workspace_id = :workspaceId', { workspaceId })
      .andWhere(`r.status IN ('active', 'waiting')`)
      .andWhere('v.exit_events && :eventTypes', { eventTypes: [...new Set(eventTypes)] })
      .andWhere(
        new Brackets((w) => {
          w.where('r.contact_id = ANY(:contactIds)', { contactIds: [...new Set(contactIds)] });
          if (correlationValues.length > 0) w.orWhere(`r.correlation_key <> '' AND r.correlation_key = ANY(:values)`, { values: [...new Set(correlationValues)] });
        }),
      )
      .getMany();
    return rows.map((run) => ({ run, version: run.flowVersion! }));
  }

  /**
   * Takes the enrolment lock of each (flow, contact) for the caller's transaction — the same
   * lock one-at-a-time enrolment takes — in one statement, in a fixed order (so two batches
   * never wait on each other in a cycle).
   */
  async lockEnrolments(manager: EntityManager, pairs: { flowId: string; contactId: string }[]): Promise<void> {
    if (pairs.length === 0) return;
    // The subquery's ORDER BY keeps it from being flattened, so locks are taken in key order.
    await manager.query(
      `SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT DISTINCT hashtext(x) AS k FROM unnest($1::text[]) AS x ORDER BY 1) AS keys`,
      [pairs.map((p) => `flow-enrol:${p.flowId}:${p.contactId}`)],
    );
  }

  /** Latest start per (flow, contact) pair (re-entry rules for a batch), one query, inside the caller's transaction. */
  async lastStartsOfPairs(manager: EntityManager, workspaceId: string, pairs: { flowId: string; contactId: string }[]): Promise<Map<string, Date>> {
    if (pairs.length === 0) return new Map();
    const rows: { flow_id: string; contact_id: string; started_at: Date }[] = await manager.query(
      `SELECT DISTINCT ON (r.flow_id, r.contact_id) r.flow_id, r.contact_id, r.started_at FROM flow_run r
         JOIN unnest($2::uuid[], $3::uuid[]) AS p(flow_id, contact_id) ON p.flow_id = r.flow_id AND p.contact_id = r.contact_id
        WHERE r.workspace_id = $1 ORDER BY r.flow_id, r.contact_id, r.started_at DESC`,
      [workspaceId, pairs.map((p) => p.flowId), pairs.map((p) => p.contactId)],
    );
    return new Map(rows.map((r) => [`${r.flow_id}:${r.contact_id}`, r.started_at]));
  }
}
