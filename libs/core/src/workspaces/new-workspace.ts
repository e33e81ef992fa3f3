import type { CreateWorkspaceDto } from './workspace.dto';
import { DEFAULT_WORKSPACE_POLICY, Workspace } from './workspace.entity';

/** A new workspace's columns: the given profile over the defaults (first-run setup builds one inside its transaction). */
export function newWorkspaceValues(dto: CreateWorkspaceDto): Partial<Workspace> {
  return {
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
  };
}
