import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { canonicalJson, Clock, DomainError, newWebhookSecret, NotFoundError, SecretBox, WorkspaceService } from '@optline/core';
import { DataSource } from 'typeorm';
import type { FlowDefinition } from '../definition/flow-definition';
import { FlowDocumentDto } from '../definition/flow-document.dto';
import { assertFlowValid, toDefinition } from '../definition/flow-validator';
import { Flow, FlowStatus } from '../persistence/flow.entity';
import { CurrentVersionFacts, FlowRepository } from '../persistence/flow.repository';
import { FlowVersion } from '../persistence/flow-version.entity';
import { flowWebhookSecret } from '../runner/flow-webhook-secret';
import { FlowTemplateCatalog } from '../templates/flow-template.catalog';

export interface FlowWithVersion {
  flow: Flow;
  version: FlowVersion;
}

/**
 * The flow lifecycle: create (draft, version 1), update (a new version; runs keep theirs),
 * activate (the latest version becomes the one new runs start on), pause, archive.
 */
@Injectable()
export class FlowService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly flows: FlowRepository,
    private readonly workspaces: WorkspaceService,
    private readonly templates: FlowTemplateCatalog,
    private readonly secretBox: SecretBox,
    private readonly clock: Clock,
  ) {}

  /** Checks a document against everything a save checks, without saving. */
  async validate(workspaceId: string, document: FlowDocumentDto): Promise<FlowDefinition> {
    const definition = toDefinition(document);
    assertFlowValid(definition, { brandName: (await this.workspaces.get(workspaceId)).brandName });
    return definition;
  }

  async create(workspaceId: string, document: FlowDocumentDto, templateKey: string | null = null): Promise<FlowWithVersion> {
    const definition = await this.validate(workspaceId, document);
    return this.dataSource.transaction(async (manager) => {
      const flow = await this.flows.save(
        Object.assign(new Flow(), {
          workspaceId,
          templateKey,
          name: definition.name,
          status: 'draft' as FlowStatus,
          activeVersion: null,
          latestVersion: 1,
          webhookSecret: this.secretBox.seal(newWebhookSecret()),
          activatedAt: null,
          archivedAt: null,
        }),
        manager,
      );
      const version = await this.flows.insertVersion(manager, flow, 1, definition);
      delete flow.webhookSecret;
      return { flow, version };
    });
  }

  async createFromTemplate(workspaceId: string, templateKey: string, name?: string): Promise<FlowWithVersion> {
    const template = this.templates.get(templateKey);
    const document = { ...structuredClone(template.definition), ...(name && { name }) } as FlowDocumentDto;
    return this.create(workspaceId, document, template.key);
  }

  /** A new version from the document. On an active flow it waits for `activate`; live runs stay on theirs. */
  async update(workspaceId: string, id: string, document: FlowDocumentDto): Promise<FlowWithVersion> {
    const definition = await this.validate(workspaceId, document);
    return this.dataSource.transaction(async (manager) => {
      const flow = await this.flows.lock(manager, workspaceId, id);
      if (!flow) throw new NotFoundError('Flow', id);
      if (flow.status === 'archived') throw new DomainError('conflict', 'flow_archived', `Flow ${id} is archived and cannot be changed`);
      // Saving what is already the latest version (a repeated save, Save then Activate at once)
      // makes no empty version: Activate would otherwise activate a copy nobody asked for.
      const latest = await this.flows.version(workspaceId, id, flow.latestVersion);
      if (latest && canonicalJson(latest.definition) === canonicalJson(definition)) return { flow, version: latest };
      const version = await this.flows.insertVersion(manager, flow, flow.latestVersion + 1, definition);
      flow.latestVersion = version.version;
      flow.name = definition.name;
      await this.flows.save(flow, manager);
      return { flow, version };
    });
  }

  /** Makes the latest version the one new runs start on (re-checked against today's brand). */
  async activate(workspaceId: string, id: string): Promise<FlowWithVersion> {
    const brandName = (await this.workspaces.get(workspaceId)).brandName;
    return this.dataSource.transaction(async (manager) => {
      const flow = await this.flows.lock(manager, workspaceId, id);
      if (!flow) throw new NotFoundError('Flow', id);
      if (flow.status === 'archived') throw new DomainError('conflict', 'flow_archived', `Flow ${id} is archived; create a new flow instead`);
      const version = (await this.flows.version(workspaceId, id, flow.latestVersion))!;
      assertFlowValid(version.definition, { brandName });
      Object.assign(flow, { status: 'active', activeVersion: version.version, activatedAt: this.clock.now() });
      await this.flows.save(flow, manager);
      return { flow, version };
    });
  }

  /** Stops new runs; runs already going finish. */
  async pause(workspaceId: string, id: string): Promise<FlowWithVersion> {
    return this.changeStatus(workspaceId, id, (flow) => {
      if (flow.status === 'draft' || flow.status === 'archived') {
        throw new DomainError('conflict', 'flow_not_active', `Flow ${id} is ${flow.status}; only an active flow can be paused`);
      }
      flow.status = 'paused';
    });
  }

  /** Stops new runs for good; the caller ends the live ones. */
  async archive(workspaceId: string, id: string): Promise<FlowWithVersion> {
    return this.changeStatus(workspaceId, id, (flow) => {
      flow.status = 'archived';
      flow.archivedAt ??= this.clock.now();
    });
  }

  /** The flow with its latest version, or with the version asked for (to compare two). */
  async get(workspaceId: string, id: string, versionNumber?: number): Promise<FlowWithVersion> {
    const flow = await this.flows.findById(workspaceId, id);
    if (!flow) throw new NotFoundError('Flow', id);
    const version = await this.flows.version(workspaceId, id, versionNumber ?? flow.latestVersion);
    if (!version) throw new NotFoundError('Flow version', `${id} v${versionNumber}`);
    return { flow, version };
  }

  /** The version new runs of an active flow start on; 409 when the flow is not active. */
  async activeVersion(workspaceId: string, id: string): Promise<FlowWithVersion> {
    const flow = await this.flows.findById(workspaceId, id);
    if (!flow) throw new NotFoundError('Flow', id);
    if (flow.status !== 'active' || flow.activeVersion === null) {
      throw new DomainError('conflict', 'flow_not_active', `Flow ${id} is ${flow.status}; activate it before enrolling contacts`);
    }
    return { flow, version: (await this.flows.version(workspaceId, id, flow.activeVersion))! };
  }

  /** The active flow made from a built-in template, with the version new runs start on; 404 `flow_not_found` when none. */
  async activeFromTemplate(workspaceId: string, templateKey: string): Promise<FlowWithVersion> {
    const active = (await this.flows.fromTemplate(workspaceId, templateKey)).find((f) => f.status === 'active');
    if (!active) {
      throw new DomainError('not_found', 'flow_not_found', `No active flow made from the template "${templateKey}"; create it with POST /v1/flows/from-template and activate it`, [
        { field: 'flowKey', message: `no active flow from template ${templateKey}` },
      ]);
    }
    return this.activeVersion(workspaceId, active.id);
  }

  async version(workspaceId: string, id: string, version: number): Promise<FlowWithVersion> {
    const { flow } = await this.get(workspaceId, id);
    const found = await this.flows.version(workspaceId, id, version);
    if (!found) throw new NotFoundError('Flow version', `${id}@${version}`);
    return { flow, version: found };
  }

  async versions(workspaceId: string, id: string): Promise<FlowVersion[]> {
    await this.get(workspaceId, id);
    return this.flows.versionsOf(workspaceId, id);
  }

  async list(workspaceId: string, status?: FlowStatus): Promise<Flow[]> {
    return this.flows.list(workspaceId, status);
  }

  /** The number of a saved version (a run names its version by id). */
  async versionNumber(workspaceId: string, versionId: string): Promise<number | null> {
    return (await this.flows.versionById(workspaceId, versionId))?.version ?? null;
  }

  async currentVersionFacts(workspaceId: string): Promise<Map<string, CurrentVersionFacts>> {
    return this.flows.currentVersionFacts(workspaceId);
  }

  /** The secret the flow's webhook steps sign with, for the receiving system. */
  async webhookSecret(workspaceId: string, id: string): Promise<string> {
    const secret = await flowWebhookSecret(this.flows, this.secretBox, workspaceId, id);
    if (!secret) throw new NotFoundError('Flow', id);
    return secret;
  }

  private async changeStatus(workspaceId: string, id: string, change: (flow: Flow) => void): Promise<FlowWithVersion> {
    return this.dataSource.transaction(async (manager) => {
      const flow = await this.flows.lock(manager, workspaceId, id);
      if (!flow) throw new NotFoundError('Flow', id);
      change(flow);
      await this.flows.save(flow, manager);
      return { flow, version: (await this.flows.version(workspaceId, id, flow.latestVersion))! };
    });
  }
}
