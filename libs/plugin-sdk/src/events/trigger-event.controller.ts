import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, PageOf, PageOfItems, RequirePermission } from '@optline/core';
import { TriggerEventAdminService } from './trigger-event-admin.service';
import { ListTriggerEventsQueryDto, presentTriggerEvent } from './trigger-event.dto';
import { TriggerEventResponseDto } from './trigger-event.responses';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class TriggerEventController {
  constructor(private readonly events: TriggerEventAdminService) {}

  @Get()
  @RequirePermission('reports:read')
  @ApiOperation({ operationId: 'listEvents', summary: 'Stored trigger events, newest first, with their processing outcome (contact, consent, flows started or ended)' })
  @ApiOkResponse({ type: PageOf(TriggerEventResponseDto) })
  @ApiErrors(400, 401, 403)
  async list(@Auth() auth: AuthContext, @Query() query: ListTriggerEventsQueryDto): Promise<PageOfItems<TriggerEventResponseDto>> {
    const page = await this.events.list(auth.workspaceId, query);
    return { data: page.events.map(presentTriggerEvent), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @RequirePermission('reports:read')
  @ApiOperation({ operationId: 'getEvent', summary: 'One stored trigger event with its outcome' })
  @ApiOkResponse({ type: TriggerEventResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<TriggerEventResponseDto> {
    return presentTriggerEvent(await this.events.get(auth.workspaceId, params.id));
  }

  @Post(':id/replay')
  @HttpCode(202)
  @RequirePermission('events:replay')
  @ApiOperation({
    operationId: 'replayEvent',
    summary: 'Dispatch the event to flows again',
    description: 'The contact and consent steps are not repeated; earlier consumer outcomes are kept under outcome.replays. 409 while the first dispatch is still pending.',
  })
  @ApiAcceptedResponse({ type: TriggerEventResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async replay(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<TriggerEventResponseDto> {
    return presentTriggerEvent(await this.events.replay(auth.workspaceId, params.id));
  }
}
