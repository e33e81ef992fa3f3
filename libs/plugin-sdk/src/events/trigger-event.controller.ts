import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, IdParamDto, RequirePermission } from '@optline/core';
import { TriggerEventAdminService } from './trigger-event-admin.service';
import { ListTriggerEventsQueryDto, presentTriggerEvent, TRIGGER_EVENT_EXAMPLE } from './trigger-event.dto';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class TriggerEventController {
  constructor(private readonly events: TriggerEventAdminService) {}

  @Get()
  @RequirePermission('reports:read')
  @ApiOperation({ summary: 'Stored trigger events, newest first, with their processing outcome (contact, consent, flows started or ended)' })
  @ApiOkResponse({ schema: { example: { data: [TRIGGER_EVENT_EXAMPLE], nextCursor: null } } })
  async list(@Auth() auth: AuthContext, @Query() query: ListTriggerEventsQueryDto) {
    const page = await this.events.list(auth.workspaceId, query);
    return { data: page.events.map(presentTriggerEvent), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @RequirePermission('reports:read')
  @ApiOperation({ summary: 'One stored trigger event with its outcome' })
  @ApiOkResponse({ schema: { example: TRIGGER_EVENT_EXAMPLE } })
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto) {
    return presentTriggerEvent(await this.events.get(auth.workspaceId, params.id));
  }

  @Post(':id/replay')
  @HttpCode(202)
  @RequirePermission('events:replay')
  @ApiOperation({
    summary: 'Dispatch the event to flows again',
    description: 'The contact and consent steps are not repeated; earlier consumer outcomes are kept under outcome.replays. 409 while the first dispatch is still pending.',
  })
  @ApiOkResponse({ schema: { example: { ...TRIGGER_EVENT_EXAMPLE, status: 'received', replayCount: 1 } } })
  async replay(@Auth() auth: AuthContext, @Param() params: IdParamDto) {
    return presentTriggerEvent(await this.events.replay(auth.workspaceId, params.id));
  }
}
