import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, RequirePermission, RootOnly } from '../auth/auth-context';
import { CreateWorkspaceDto, UpdateWorkspaceDto } from './workspace.dto';
import { WorkspaceService } from './workspace.service';
import { Workspace } from './workspace.entity';

function present(workspace: Workspace) {
  return {
    id: workspace.id,
    name: workspace.name,
    brandName: workspace.brandName,
    supportEmail: workspace.supportEmail,
    supportPhone: workspace.supportPhone,
    supportUrl: workspace.supportUrl,
    defaultCountry: workspace.defaultCountry,
    timeZone: workspace.timeZone,
    optInMode: workspace.optInMode,
    quietHours: workspace.policy.quietHours,
    frequencyCap: workspace.policy.frequencyCap,
    maxSegments: workspace.policy.maxSegments,
    optOutFooter: workspace.policy.optOutFooter,
    helpPreferenceLink: workspace.policy.helpPreferenceLink ?? false,
    createdAt: workspace.createdAt,
  };
}

const WORKSPACE_EXAMPLE = {
  id: '3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10',
  name: 'Acme Inc.',
  brandName: 'Acme Alerts',
  supportEmail: 'help@acme.test',
  supportPhone: '+14155550100',
  supportUrl: 'https://acme.test/help',
  defaultCountry: 'US',
  timeZone: 'America/New_York',
  optInMode: 'consent',
  quietHours: { start: '08:00', end: '21:00', exemptTransactional: true },
  frequencyCap: { count: 3, windowHours: 24, types: ['marketing'] },
  maxSegments: 6,
  optOutFooter: 'Reply STOP to opt out.',
  helpPreferenceLink: false,
  createdAt: '2026-11-22T08:00:00.000Z',
};

@ApiTags('workspace')
@ApiBearerAuth()
@Controller('v1')
export class WorkspaceController {
  constructor(private readonly workspaces: WorkspaceService) {}

  @Post('workspaces')
  @RootOnly()
  @ApiOperation({ summary: 'Create a workspace (operator root token). Returns its first admin API key, shown once.' })
  @ApiCreatedResponse({
    schema: { example: { workspace: WORKSPACE_EXAMPLE, apiKey: { id: 'b3c1…', name: 'First admin key', role: 'admin', prefix: 'olk_1a2b3c4d', key: 'olk_1a2b3c4d_…' } } },
  })
  async create(@Body() dto: CreateWorkspaceDto) {
    const { workspace, adminKey } = await this.workspaces.create(dto);
    return {
      workspace: present(workspace),
      apiKey: {
        id: adminKey.apiKey.id,
        name: adminKey.apiKey.name,
        role: adminKey.apiKey.role,
        prefix: adminKey.apiKey.prefix,
        key: adminKey.secret,
      },
    };
  }

  @Get('workspace')
  @RequirePermission('settings:read')
  @ApiOperation({ summary: "The caller's workspace: profile and sending policy" })
  @ApiOkResponse({ schema: { example: WORKSPACE_EXAMPLE } })
  async get(@Auth() auth: AuthContext) {
    return present(await this.workspaces.get(auth.workspaceId));
  }

  @Patch('workspace')
  @HttpCode(200)
  @RequirePermission('settings:write')
  @ApiOperation({ summary: 'Change the profile, opt-in mode, quiet hours, frequency cap or footer' })
  @ApiOkResponse({ schema: { example: WORKSPACE_EXAMPLE } })
  async update(@Auth() auth: AuthContext, @Body() dto: UpdateWorkspaceDto) {
    return present(await this.workspaces.update(auth.workspaceId, dto));
  }
}
