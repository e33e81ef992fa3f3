import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { KeyedMemo } from '@optline/core';
import { EntityManager, Repository } from 'typeorm';
import type { FlowDefinition } from '../definition/flow-definition';
import { Flow, FlowStatus } from './flow.entity';
import { FlowVersion } from './flow-version.entity';

/** An active flow with the version new runs start on. */
export interface ActiveFlow {
  flow: Flow;
  version: FlowVersion;
}

/** Flows and their versions. Every query is scoped by workspace. */

/** What a flow list shows of each flow's current version. */
export interface CurrentVersionFacts {
  triggerEvents: string[];
  /** It sends an opt-in request, so contacts are invited one at a time (POST /v1/contacts/:id/invite). */
  optIn: boolean;
}

@Injectable()
export class FlowRepository {
  /** Versions never change once written, so they are cached by id. */
  private readonly versionCache = new Map<string, FlowVersion>();
  /**
   * Whether a workspace has an active flow on a hub event type, asked for every consent change
   * and inbound text: remembered for a second, forgotten on every save here (docs/decisions/0009).
   */
  private readonly triggeredBy = new KeyedMemo<boolean>(1_000);

  constructor(
    @InjectRepository(Flow) private readonly flows: Repository<Flow>,
    @InjectRepository(FlowVersion) private readonly versions: Repository<FlowVersion>,
  ) {}

  async findById(workspaceId: string, id: string, manager?: EntityManager): Promise<Flow | null> {
    return (manager?.getRepository(Flow) ?? this.flows).findOne({ where: { workspaceId, id } });
  }

  /** The workspace's flows made from a built-in template that are not archived, active ones first. */
  async fromTemplate(workspaceId: string, templateKey: string): Promise<Flow[]> {
    return this.flows
      .createQueryBuilder('f')
      .where("f.workspace_id = :workspaceId AND f.template_key = :templateKey AND f.status <> 'archived'", { workspaceId, templateKey })
      .orderBy("CASE f.status WHEN 'active' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END")
      .addOrderBy('f.created_at', 'DESC')
      .getMany();
  }

  /** Locks the flow row for a lifecycle change (two edits never make the same version number). */
  async lock(manager: EntityManager, workspaceId: string, id: string): Promise<Flow | null> {
    return manager.getRepository(Flow).findOne({ where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
  }

  async webhookSecret(workspaceId: string, id: string): Promise<Flow['webhookSecret'] | null> {
    const row = await this.flows
      .createQueryBuilder('f')
      .addSelect('f.webhookSecret')
      .where('f.workspace_id = :workspaceId AND f.id = :id', { workspaceId, id })
      .getOne();
    return row?.webhookSecret ?? null;
  }

  async replaceWebhookSecret(workspaceId: string, id: string, sealed: NonNullable<Flow['webhookSecret']>): Promise<void> {
    await this.flows.update({ workspaceId, id }, { webhookSecret: sealed });
  }

  async list(workspaceId: string, status?: FlowStatus): Promise<Flow[]> {
    return this.flows.find({ where: { workspaceId, ...(status && { status }) }, order: { createdAt: 'DESC' }, take: 500 });
  }

  /** The trigger events of each flow's current version (the active one, else the latest), for lists. */
  /** Per flow, what its current version (active, else latest) triggers on and whether it sends an opt-in request. */
  async currentVersionFacts(workspaceId: string): Promise<Map<string, CurrentVersionFacts>> {
    const rows: { flow_id: string; trigger_events: string[]; opt_in: boolean }[] = await this.flows.query(
      `SELECT v.flow_id, v.trigger_events,
              EXISTS (SELECT 1 FROM jsonb_array_elements(v.definition->'steps') s
                       WHERE s->>'type' = 'send' AND s->>'systemKind' = 'opt_in_request') AS opt_in
         FROM flow f
         JOIN flow_version v ON v.flow_id = f.id AND v.workspace_id = f.workspace_id AND v.version = coalesce(f.active_version, f.latest_version)
        WHERE f.workspace_id = $1`,
      [workspaceId],
    );
    return new Map(rows.map((r) => [r.flow_id, { triggerEvents: r.trigger_events, optIn: r.opt_in }]));
  }

  async save(flow: Flow, manager?: EntityManager): Promise<Flow> {
    const saved = await (manager?.getRepository(Flow) ?? this.flows).save(flow);
    this.triggeredBy.clear();
    return saved;
  }

  async insertVersion(manager: EntityManager, flow: Flow, version: number, definition: FlowDefinition): Promise<FlowVersion> {
    const repo = manager.getRepository(FlowVersion);
    return repo.save(
      repo.create({
        workspaceId: flow.workspaceId,
        flowId: flow.id,
        version,
        definition,
        triggerEvents: [...new Set(definition.trigger.events)],
        exitEvents: [...new Set((definition.exits ?? []).map((e) => e.event))],
      }),
    );
  }

  async version(workspaceId: string, flowId: string, version: number): Promise<FlowVersion | null> {
    return this.versions.findOne({ where: { workspaceId, flowId, version } });
  }

  async versionById(workspaceId: string, id: string): Promise<FlowVersion | null> {
    const cached = this.versionCache.get(id);
    if (cached) return cached.workspaceId === workspaceId ? cached : null;
    const found = await this.versions.findOne({ where: { workspaceId, id } });
    if (found) {
      if (this.versionCache.size > 1000) this.versionCache.delete(this.versionCache.keys().next().value as string);
      this.versionCache.set(id, found);
    }
    return found;
  }

  async versionsOf(workspaceId: string, flowId: string): Promise<FlowVersion[]> {
    return this.versions.find({ where: { workspaceId, flowId }, order: { version: 'DESC' }, take: 100 });
  }

  /** Active flows whose active version triggers on this event type. */
  async activeForEvent(workspaceId: string, eventType: string): Promise<ActiveFlow[]> {
    const rows = await this.flows
      .createQueryBuilder('f')
      .innerJoinAndMapOne('f.version', FlowVersion, 'v', 'v.flow_id = f.id AND v.version = f.active_version')
      .where('f.workspace_id = :workspaceId', { workspaceId })
      .andWhere(`f.status = 'active'`)
      .andWhere(':eventType = ANY(v.trigger_events)', { eventType })
      .getMany();
    return rows.map((flow) => {
      const version = (flow as Flow & { version: FlowVersion }).version;
      delete (flow as Partial<Flow & { version: FlowVersion }>).version;
      return { flow, version };
    });
  }

  /**
   * Active flows triggered by any of these event types (a dispatch batch), in one query; the
   * caller picks each event's flows by `version.triggerEvents`.
   */
  async activeForEvents(workspaceId: string, eventTypes: string[]): Promise<ActiveFlow[]> {
    if (eventTypes.length === 0) return [];
    const rows = await this.flows
      .createQueryBuilder('f')
      .innerJoinAndMapOne('f.version', FlowVersion, 'v', 'v.flow_id = f.id AND v.version = f.active_version')
      .where('f.workspace_id = :workspaceId', { workspaceId })
      .andWhere(`f.status = 'active'`)
      .andWhere('v.trigger_events && :eventTypes', { eventTypes: [...new Set(eventTypes)] })
      .getMany();
    return rows.map((flow) => {
      const version = (flow as Flow & { version: FlowVersion }).version;
      delete (flow as Partial<Flow & { version: FlowVersion }>).version;
      return { flow, version };
    });
  }

  /** Whether any active flow of the workspace triggers on this event type (cheap pre-check). */
  async anyActiveTriggeredBy(workspaceId: string, eventType: string): Promise<boolean> {
    return this.triggeredBy.get(`${workspaceId}:${eventType}`, () => this.queryAnyActiveTriggeredBy(workspaceId, eventType));
  }

  private async queryAnyActiveTriggeredBy(workspaceId: string, eventType: string): Promise<boolean> {
    const rows: unknown[] = await this.flows.query(
      `SELECT 1 FROM flow f JOIN flow_version v ON v.flow_id = f.id AND v.version = f.active_version
        WHERE f.workspace_id = $1 AND f.status = 'active' AND $2 = ANY(v.trigger_events) LIMIT 1`,
      [workspaceId, eventType],
    );
    return rows.length > 0;
  }

  /**
   * Across workspaces (maintenance): active flows triggered by one of the scheduled event types,
   * with their active version. Used by the date and lapsed scanners.
   */
  async activeForScheduledEvent(eventType: string): Promise<ActiveFlow[]> {
    const rows = await this.flows
      .createQueryBuilder('f')
      .innerJoinAndMapOne('f.version', FlowVersion, 'v', 'v.flow_id = f.id AND v.version = f.active_version')
      .where(`f.status = 'active'`)
      .andWhere(':eventType = ANY(v.trigger_events)', { eventType })
      .getMany();
    return rows.map((flow) => {
      const version = (flow as Flow & { version: FlowVersion }).version;
      delete (flow as Partial<Flow & { version: FlowVersion }>).version;
      return { flow, version };
    });
  }
}
