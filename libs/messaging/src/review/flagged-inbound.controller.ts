import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, PageOf, PageOfItems, RequirePermission } from '@optline/core';
import { FlaggedInboundResponseDto, ListFlaggedQueryDto, ResolveFlaggedDto } from './flagged-inbound.dto';
import { FlaggedInbound, FlaggedInboundService } from './flagged-inbound.service';

function present({ message, resolution }: FlaggedInbound): FlaggedInboundResponseDto {
  return {
    id: message.id,
    contactId: message.contactId,
    phone: message.phone,
    body: message.body,
    keyword: (message.origin.keyword as string | undefined) ?? null,
    receivedAt: message.createdAt.toISOString(),
    status: resolution ? 'resolved' : 'open',
    resolution,
  };
}

@ApiTags('messages')
@ApiBearerAuth()
@Controller('v1/inbound/flagged')
export class FlaggedInboundController {
  constructor(private readonly review: FlaggedInboundService) {}

  @Get()
  @RequirePermission('messages:read')
  @ApiOperation({ operationId: 'listFlaggedInbound', summary: 'Inbound texts flagged for a human (vague revocations, keywords inside sentences), newest first' })
  @ApiOkResponse({ type: PageOf(FlaggedInboundResponseDto) })
  @ApiErrors(400, 401, 403)
  async list(@Auth() auth: AuthContext, @Query() query: ListFlaggedQueryDto): Promise<PageOfItems<FlaggedInboundResponseDto>> {
    const page = await this.review.list(auth.workspaceId, { status: query.status, cursor: query.cursor, limit: query.limit ?? 50 });
    return { data: page.items.map(present), nextCursor: page.nextCursor };
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @RequirePermission('consent:opt_out')
  @ApiOperation({
    operationId: 'resolveFlaggedInbound',
    summary: 'Decide on a flagged text: opt_out records an opt-out of every type (source agent or api, the text as evidence); dismiss records only the decision. Once per text (409 after)',
  })
  @ApiOkResponse({ type: FlaggedInboundResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async resolve(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: ResolveFlaggedDto): Promise<FlaggedInboundResponseDto> {
    // A person signed in to the console is an agent; an API key is the api.
    const source = auth.userId ? 'agent' : 'api';
    return present(await this.review.resolve(auth.workspaceId, params.id, {
        action: dto.action,
        note: dto.note ?? null,
        actor: auth.actor,
        source,
        ledgerActor: { ...(auth.apiKeyId && { apiKeyId: auth.apiKeyId }), ...(auth.userId && { userId: auth.userId }) },
      }));
  }
}
