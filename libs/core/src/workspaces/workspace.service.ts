import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiKeyService, IssuedApiKey } from '../auth/api-key.service';
import { NotFoundError } from '../errors/domain-error';
import { CreateWorkspaceDto, UpdateWorkspaceDto } from './workspace.dto';
import { DEFAULT_WORKSPACE_POLICY, Workspace } from './workspace.entity';

export interface CreatedWorkspace {
  workspace: Workspace;
  adminKey: IssuedApiKey;
}

@Injectable()
export class WorkspaceService {
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

  async get(workspaceId: string): Promise<Workspace> {
    const workspace = await this.workspaces.findOne({ where: { id: workspaceId } });
    if (!workspace) throw new NotFoundError('Workspace', workspaceId);
    return workspace;
  }

  async update(workspaceId: string, dto: UpdateWorkspaceDto): Promise<Workspace> {
    const workspace = await this.get(workspaceId);
    const { quietHours, frequencyCap, maxSegments, optOutFooter, ...profile } = dto;
    Object.assign(workspace, profile);
    workspace.policy = {
      ...DEFAULT_WORKSPACE_POLICY,
      ...workspace.policy,
      ...(quietHours && { quietHours: { ...quietHours } }),
      ...(frequencyCap && { frequencyCap: { ...frequencyCap } }),
      ...(maxSegments !== undefined && { maxSegments }),
      ...(optOutFooter !== undefined && { optOutFooter }),
    };
    return this.workspaces.save(workspace);
  }
}
