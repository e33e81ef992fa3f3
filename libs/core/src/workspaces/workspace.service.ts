import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiKeyService, IssuedApiKey } from '../auth/api-key.service';
import { NotFoundError, ValidationFailedError } from '../errors/domain-error';
import { CreateWorkspaceDto, UpdateWorkspaceDto } from './workspace.dto';
import { DEFAULT_WORKSPACE_POLICY, Workspace } from './workspace.entity';

export interface CreatedWorkspace {
  workspace: Workspace;
  adminKey: IssuedApiKey;
}

/**
 * How long a worker may use a workspace's settings read earlier. Every message and step reads
 * them; a change made through this process is seen at once (the entry is dropped), one made
 * through another process within this long (docs/decisions/0007).
 */
export const WORKSPACE_CACHE_MS = 2_000;

/**
 * Settings `PATCH /v1/workspace` takes null for: the support contacts (cleared), and quiet hours
 * and the frequency cap (left as they are; the policies need both).
 */
const NULL_ALLOWED = new Set(['supportEmail', 'supportPhone', 'supportUrl', 'quietHours', 'frequencyCap']);

@Injectable()
export class WorkspaceService {
  /** The read in flight is cached too: when an entry expires under a burst, one read serves it all. */
  private readonly cache = new Map<string, { at: number; workspace: Promise<Workspace> }>();

  constructor(
    @InjectRepository(Workspace) private readonly workspaces: Repository<Workspace>,
    private readonly apiKeys: ApiKeyService,
  ) {}

  /** Creates a workspace and its first admin key in one transaction. */
  async create(dto: CreateWorkspaceDto): Promise<CreatedWorkspace> {
    const workspace = await this.workspaces.save(
      this.workspaces.create({
        name: dto.name,
        brandName: dto.brandName ?? dto.name,
        supportEmail: dto.supportEmail ?? null,
        supportPhone: dto.supportPhone ?? null,
        supportUrl: dto.supportUrl ?? null,
        defaultCountry: dto.defaultCountry ?? 'US',
        timeZone: dto.timeZone ?? 'America/New_York',
        optInMode: dto.optInMode ?? 'consent',
        policy: DEFAULT_WORKSPACE_POLICY,
        texts: {},
      }),
    );
    const adminKey = await this.apiKeys.issue(workspace.id, 'First admin key', 'admin');
    return { workspace, adminKey };
  }

  /** The workspace, from a short-lived cache (treat it as read-only). */
  async get(workspaceId: string): Promise<Workspace> {
    const hit = this.cache.get(workspaceId);
    if (hit && Date.now() - hit.at < WORKSPACE_CACHE_MS) return hit.workspace;
    const entry = { at: Date.now(), workspace: this.fetch(workspaceId) };
    this.cache.set(workspaceId, entry);
    try {
      return await entry.workspace;
    } catch (error) {
      // A failed read (unknown id, a lost connection) is not remembered.
      if (this.cache.get(workspaceId) === entry) this.cache.delete(workspaceId);
      throw error;
    }
  }

  async update(workspaceId: string, dto: UpdateWorkspaceDto): Promise<Workspace> {
    // Every other setting always has a value: a null defaultCountry failed the update as a 500,
    // a null footer or segment limit was stored and broke sending.
    const nulled = Object.entries(dto).filter(([field, value]) => value === null && !NULL_ALLOWED.has(field));
    if (nulled.length > 0) {
      throw new ValidationFailedError(nulled.map(([field]) => ({ field, message: `${field} cannot be null: leave it out to keep it` })), 'invalid');
    }
    this.cache.delete(workspaceId);
    const workspace = await this.fetch(workspaceId);
    const { quietHours, frequencyCap, maxSegments, optOutFooter, helpPreferenceLink, ...profile } = dto;
    Object.assign(workspace, profile);
    workspace.policy = {
      ...DEFAULT_WORKSPACE_POLICY,
      ...workspace.policy,
      ...(quietHours && { quietHours: { ...quietHours } }),
      ...(frequencyCap && { frequencyCap: { ...frequencyCap } }),
      ...(maxSegments !== undefined && { maxSegments }),
      ...(optOutFooter !== undefined && { optOutFooter }),
      ...(helpPreferenceLink !== undefined && { helpPreferenceLink }),
    };
    const saved = await this.workspaces.save(workspace);
    this.cache.delete(workspaceId);
    return saved;
  }

  /** Replaces some of the workspace's own texts; `null` goes back to the default. Keys are checked by their owner. */
  async setTexts(workspaceId: string, changes: Record<string, string | null>): Promise<Workspace> {
    this.cache.delete(workspaceId);
    const workspace = await this.fetch(workspaceId);
    const texts = { ...(workspace.texts ?? {}) };
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) delete texts[key];
      else texts[key] = value;
    }
    workspace.texts = texts;
    const saved = await this.workspaces.save(workspace);
    this.cache.delete(workspaceId);
    return saved;
  }

  private async fetch(workspaceId: string): Promise<Workspace> {
    const workspace = await this.workspaces.findOne({ where: { id: workspaceId } });
    if (!workspace) throw new NotFoundError('Workspace', workspaceId);
    return workspace;
  }
}
