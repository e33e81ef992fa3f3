import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HubFlows, HubFlowsProvider, TemplateFlowStatus } from '@optline/plugin-sdk';
import { DataSource } from 'typeorm';
import { isOptInFlow } from '../definition/opt-in-flow';
import { FlowRepository } from '../persistence/flow.repository';
import { FlowService } from './flow.service';

/** Arbitrary constant: the class of the advisory locks that make one template flow per workspace. */
const TEMPLATE_FLOW_LOCK_CLASS = 16_201;

/**
 * What plugins ask of flows through the PluginHost (decision 0162): set up the flow a plugin's
 * events need (web forms: the double opt-in flow, when the plugin is enabled), and say whether an
 * event type would start an opt-in flow (the form's success page tells the truth about the text).
 */
@Injectable()
export class TemplateFlowProvisioner implements HubFlowsProvider, OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hubFlows: HubFlows,
    private readonly flows: FlowService,
    private readonly flowRows: FlowRepository,
  ) {}

  onModuleInit(): void {
    this.hubFlows.register(this);
  }

  async ensureTemplateFlow(workspaceId: string, templateKey: string): Promise<TemplateFlowStatus> {
    // Two enables at once must not make two flows: the lock's transaction only serialises them.
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [TEMPLATE_FLOW_LOCK_CLASS, `${workspaceId}:${templateKey}`]);
      const [existing] = await this.flowRows.fromTemplate(workspaceId, templateKey);
      if (existing?.status === 'active' || existing?.status === 'paused') return { flowId: existing.id, status: existing.status };
      if (existing) {
        await this.flows.activate(workspaceId, existing.id);
        return { flowId: existing.id, status: 'active', changed: 'activated' };
      }
      const { flow } = await this.flows.createFromTemplate(workspaceId, templateKey);
      await this.flows.activate(workspaceId, flow.id);
      return { flowId: flow.id, status: 'active', changed: 'created' };
    });
  }

  async activeOptInFlowFor(workspaceId: string, eventType: string): Promise<string | null> {
    if (!(await this.flowRows.anyActiveTriggeredBy(workspaceId, eventType))) return null;
    const active = await this.flowRows.activeForEvent(workspaceId, eventType);
    return active.find((a) => isOptInFlow(a.version.definition))?.flow.id ?? null;
  }
}
