import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, IdParamDto, RequirePermission } from '@optline/core';
import { presentTimeline, TIMELINE_EXAMPLE } from './flow.presenter';
import { FlowRunQueryService } from './flow-run-query.service';

@ApiTags('flows')
@ApiBearerAuth()
@Controller('v1/runs')
export class RunController {
  constructor(private readonly runs: FlowRunQueryService) {}

  @Get(':id')
  @RequirePermission('flows:read')
  @ApiOperation({ summary: "A run and its timeline: every step, when, what happened, which message (with the message's status)" })
  @ApiOkResponse({ schema: { example: TIMELINE_EXAMPLE } })
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto) {
    return presentTimeline(await this.runs.get(auth.workspaceId, params.id));
  }

  @Post(':id/exit')
  @HttpCode(200)
  @RequirePermission('flows:write')
  @ApiOperation({ summary: 'End a run by hand (no further steps)' })
  @ApiOkResponse({ schema: { example: { ...TIMELINE_EXAMPLE, status: 'exited', exitReason: 'ended by hand', stepId: null, wakeAt: null } } })
  async exit(@Auth() auth: AuthContext, @Param() params: IdParamDto) {
    return presentTimeline(await this.runs.exit(auth.workspaceId, params.id, auth.actor));
  }
}
