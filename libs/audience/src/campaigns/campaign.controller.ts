import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, ListOf, ListOfItems, RequirePermission } from '@optline/core';
import { CampaignProgressService } from './campaign-progress.service';
import { CampaignListQueryDto, CreateCampaignDto, ScheduleCampaignDto, TestSendDto, UpdateCampaignDto } from './campaign.dto';
import { Campaign } from './campaign.entity';
import { CampaignDeletedResponseDto, CampaignProgressResponseDto, CampaignResponseDto, CampaignTestSendResponseDto } from './campaign.responses';
import { CampaignService } from './campaign.service';

function present(c: Campaign): CampaignResponseDto {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    audience: c.audience,
    content: c.content,
    schedule: c.schedule,
    throttlePerMinute: c.throttlePerMinute,
    startAt: c.startAt,
    audienceSize: c.audienceSize,
    resolvedCount: c.resolvedCount,
    createdBy: c.createdBy,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    startedAt: c.startedAt,
    finishedAt: c.finishedAt,
  };
}

const STATUS_CONFLICT = { status: 409, description: 'campaign_status: not allowed in the campaign\'s current status' } as const;

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('v1/campaigns')
export class CampaignController {
  constructor(
    private readonly campaigns: CampaignService,
    private readonly progress: CampaignProgressService,
  ) {}

  @Post()
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'createCampaign', summary: 'Create a campaign (a draft): audience, content, schedule, throttle' })
  @ApiCreatedResponse({ type: CampaignResponseDto })
  @ApiErrors(400, 401, 403, 422)
  async create(@Auth() auth: AuthContext, @Body() dto: CreateCampaignDto): Promise<CampaignResponseDto> {
    return present(await this.campaigns.create(auth.workspaceId, dto, auth.actor));
  }

  @Get()
  @RequirePermission('flows:read')
  @ApiOperation({ operationId: 'listCampaigns', summary: 'Campaigns, newest first (500 at most)' })
  @ApiOkResponse({ type: ListOf(CampaignResponseDto) })
  @ApiErrors(400, 401, 403)
  async list(@Auth() auth: AuthContext, @Query() query: CampaignListQueryDto): Promise<ListOfItems<CampaignResponseDto>> {
    return { data: (await this.campaigns.list(auth.workspaceId, query.status)).map(present) };
  }

  @Get(':id')
  @RequirePermission('flows:read')
  @ApiOperation({ operationId: 'getCampaign', summary: 'One campaign' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<CampaignResponseDto> {
    return present(await this.campaigns.get(auth.workspaceId, params.id));
  }

  @Get(':id/progress')
  @RequirePermission('flows:read')
  @ApiOperation({ operationId: 'getCampaignProgress', summary: 'Live progress: audience size, resolved, sent, blocked by reason, deferred, remaining' })
  @ApiOkResponse({ type: CampaignProgressResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async getProgress(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<CampaignProgressResponseDto> {
    const campaign = await this.campaigns.get(auth.workspaceId, params.id);
    return { campaignId: campaign.id, ...(await this.progress.progress(campaign)) };
  }

  @Patch(':id')
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'updateCampaign', summary: 'Edit a draft or scheduled campaign' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiErrors(400, 401, 403, 404, STATUS_CONFLICT, 422)
  async update(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: UpdateCampaignDto): Promise<CampaignResponseDto> {
    return present(await this.campaigns.update(auth.workspaceId, params.id, dto));
  }

  @Delete(':id')
  @HttpCode(200)
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'deleteCampaign', summary: 'Delete a draft, completed or cancelled campaign (its messages stay in the log)' })
  @ApiOkResponse({ type: CampaignDeletedResponseDto })
  @ApiErrors(400, 401, 403, 404, STATUS_CONFLICT)
  async delete(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<CampaignDeletedResponseDto> {
    await this.campaigns.delete(auth.workspaceId, params.id);
    return { id: params.id, deleted: true };
  }

  @Post(':id/schedule')
  @HttpCode(200)
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'scheduleCampaign', summary: 'Schedule a draft (now, at a time, or at a local time per recipient); a worker sends it' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiErrors(400, 401, 403, 404, STATUS_CONFLICT, 422)
  async schedule(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: ScheduleCampaignDto): Promise<CampaignResponseDto> {
    return present(await this.campaigns.schedule(auth.workspaceId, params.id, dto.schedule as never));
  }

  @Post(':id/pause')
  @HttpCode(200)
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'pauseCampaign', summary: 'Pause a scheduled or sending campaign (messages already queued still go)' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiErrors(400, 401, 403, 404, STATUS_CONFLICT)
  async pause(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<CampaignResponseDto> {
    return present(await this.campaigns.pause(auth.workspaceId, params.id));
  }

  @Post(':id/resume')
  @HttpCode(200)
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'resumeCampaign', summary: 'Resume a paused campaign from its checkpoint' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiErrors(400, 401, 403, 404, STATUS_CONFLICT)
  async resume(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<CampaignResponseDto> {
    return present(await this.campaigns.resume(auth.workspaceId, params.id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'cancelCampaign', summary: 'Cancel: nothing more is resolved, and messages not yet handed to the provider are withdrawn' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiErrors(400, 401, 403, 404, STATUS_CONFLICT)
  async cancel(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<CampaignResponseDto> {
    return present(await this.campaigns.cancel(auth.workspaceId, params.id));
  }

  @Post(':id/test-send')
  @HttpCode(200)
  @RequirePermission('messages:send')
  @ApiOperation({ operationId: 'testSendCampaign', summary: 'Send the campaign\'s message to one number (yours) now; every policy applies' })
  @ApiOkResponse({ type: CampaignTestSendResponseDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async testSend(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: TestSendDto): Promise<CampaignTestSendResponseDto> {
    const campaign = await this.campaigns.get(auth.workspaceId, params.id);
    return this.progress.testSend(campaign, dto.phone, { ...(auth.apiKeyId && { apiKeyId: auth.apiKeyId }), ...(auth.userId && { userId: auth.userId }) });
  }
}
