import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, RequirePermission, RootOnly } from '../auth/auth-context';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { CreateWorkspaceDto, UpdateWorkspaceDto } from './workspace.dto';
import { WorkspaceService } from './workspace.service';
import { Workspace } from './workspace.entity';
import { CreatedWorkspaceResponseDto, WorkspaceResponseDto } from './workspace.responses';

function present(workspace: Workspace): WorkspaceResponseDto {
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

@ApiTags('workspace')
@ApiBearerAuth()
@Controller('v1')
export class WorkspaceController {
  constructor(private readonly workspaces: WorkspaceService) {}

  @Post('workspaces')
  @RootOnly()
  @ApiOperation({ operationId: 'createWorkspace', summary: 'Create a workspace (operator root token). Returns its first admin API key, shown once.' })
  @ApiCreatedResponse({ type: CreatedWorkspaceResponseDto })
  @ApiErrors(400, { status: 401, description: 'No root token, or not OPTLINE_ROOT_TOKEN (or it is unset: the route is closed)' })
  async create(@Body() dto: CreateWorkspaceDto): Promise<CreatedWorkspaceResponseDto> {
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
  @ApiOperation({ operationId: 'getWorkspace', summary: "The caller's workspace: profile and sending policy" })
  @ApiOkResponse({ type: WorkspaceResponseDto })
  @ApiErrors(401, 403)
  async get(@Auth() auth: AuthContext): Promise<WorkspaceResponseDto> {
    return present(await this.workspaces.get(auth.workspaceId));
  }

  @Patch('workspace')
  @HttpCode(200)
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'updateWorkspace', summary: 'Change the profile, opt-in mode, quiet hours, frequency cap or footer' })
  @ApiOkResponse({ type: WorkspaceResponseDto })
  @ApiErrors(400, 401, 403, 422)
  async update(@Auth() auth: AuthContext, @Body() dto: UpdateWorkspaceDto): Promise<WorkspaceResponseDto> {
    return present(await this.workspaces.update(auth.workspaceId, dto));
  }
}
