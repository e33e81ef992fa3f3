import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, RequirePermission } from '@optline/core';
import { presentTimeline } from './flow.presenter';
import { FlowRunTimelineResponseDto } from './flow.responses';
import { FlowRunQueryService } from './flow-run-query.service';

@ApiTags('flows')
@ApiBearerAuth()
@Controller('v1/runs')
export class RunController {
  constructor(private readonly runs: FlowRunQueryService) {}

  @Get(':id')
  @RequirePermission('flows:read')
  @ApiOperation({ operationId: 'getRun', summary: "A run and its timeline: every step, when, what happened, which message (with the message's status)" })
  @ApiOkResponse({ type: FlowRunTimelineResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<FlowRunTimelineResponseDto> {
    return presentTimeline(await this.runs.get(auth.workspaceId, params.id));
  }

  @Post(':id/exit')
  @HttpCode(200)
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'exitRun', summary: 'End a run by hand (no further steps)' })
  @ApiOkResponse({ type: FlowRunTimelineResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async exit(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<FlowRunTimelineResponseDto> {
    return presentTimeline(await this.runs.exit(auth.workspaceId, params.id, auth.actor));
  }
}
