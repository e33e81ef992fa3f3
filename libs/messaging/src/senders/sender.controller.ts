import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, RequirePermission } from '@optline/core';
import { brandDailyCap, countsTowardsBrandCap, DEFAULT_TEN_DLC_TIER, senderRate, TEN_DLC_DEFAULTS, TenDlcTier } from './sender-kinds';
import { SenderBrandLimitDto, SenderDto } from './sender.dto';
import { Sender, SenderBrandLimit } from './sender.entity';
import { SenderBrandLimitResponseDto, SenderListResponseDto, SenderResponseDto } from './sender.responses';
import { SenderService } from './sender.service';

function present(sender: Sender, tier: TenDlcTier | null): SenderResponseDto {
  return {
    id: sender.id,
    kind: sender.kind,
    address: sender.address,
    label: sender.label,
    tier: sender.tier,
    messagesPerSecond: sender.messagesPerSecond,
    effectivePerSecond: senderRate(sender, tier),
    countsTowardsDailyCap: countsTowardsBrandCap(sender.kind),
    messageTypes: sender.messageTypes,
    enabled: sender.enabled,
    createdAt: sender.createdAt.toISOString(),
  };
}

function presentLimit(limit: SenderBrandLimit | null): SenderBrandLimitResponseDto {
  const tier = limit?.tenDlcTier ?? null;
  return { tenDlcTier: tier, dailyCap: limit?.dailyCap ?? null, effectiveDailyCap: brandDailyCap(limit), tenDlcPerSecond: TEN_DLC_DEFAULTS[tier ?? DEFAULT_TEN_DLC_TIER].perSecond };
}

@ApiTags('senders')
@ApiBearerAuth()
@Controller('v1/senders')
export class SenderController {
  constructor(private readonly senders: SenderService) {}

  @Get()
  @RequirePermission('settings:read')
  @ApiOperation({ operationId: 'listSenders', summary: "The workspace's senders, the message types each carries and the rate the gateway holds it to" })
  @ApiOkResponse({ type: SenderListResponseDto })
  @ApiErrors(401, 403)
  async list(@Auth() auth: AuthContext): Promise<SenderListResponseDto> {
    const tier = (await this.senders.brandLimit(auth.workspaceId))?.tenDlcTier ?? null;
    return { data: (await this.senders.list(auth.workspaceId)).map((s) => present(s, tier)) };
  }

  @Get('brand-limit')
  @RequirePermission('settings:read')
  @ApiOperation({ operationId: 'getSenderBrandLimit', summary: "The brand's 10DLC tier and daily cap (set and effective)" })
  @ApiOkResponse({ type: SenderBrandLimitResponseDto })
  @ApiErrors(401, 403)
  async getBrandLimit(@Auth() auth: AuthContext): Promise<SenderBrandLimitResponseDto> {
    return presentLimit(await this.senders.brandLimit(auth.workspaceId));
  }

  @Put('brand-limit')
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'putSenderBrandLimit', summary: "Set the brand's 10DLC tier and daily cap (null = the tier's default)" })
  @ApiOkResponse({ type: SenderBrandLimitResponseDto })
  @ApiErrors(400, 401, 403)
  async putBrandLimit(@Auth() auth: AuthContext, @Body() dto: SenderBrandLimitDto): Promise<SenderBrandLimitResponseDto> {
    return presentLimit(await this.senders.putBrandLimit(auth.workspaceId, { tenDlcTier: dto.tenDlcTier ?? null, dailyCap: dto.dailyCap ?? null }));
  }

  @Get(':id')
  @RequirePermission('settings:read')
  @ApiOperation({ operationId: 'getSender', summary: 'One sender' })
  @ApiOkResponse({ type: SenderResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<SenderResponseDto> {
    const tier = (await this.senders.brandLimit(auth.workspaceId))?.tenDlcTier ?? null;
    return present(await this.senders.get(auth.workspaceId, params.id), tier);
  }

  @Post()
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'createSender', summary: 'Add a sender: a number, short code or alphanumeric id, the types it may carry, and a granted rate if any' })
  @ApiCreatedResponse({ type: SenderResponseDto })
  @ApiErrors(400, 401, 403, 409, 422)
  async create(@Auth() auth: AuthContext, @Body() dto: SenderDto): Promise<SenderResponseDto> {
    const tier = (await this.senders.brandLimit(auth.workspaceId))?.tenDlcTier ?? null;
    return present(await this.senders.create(auth.workspaceId, dto), tier);
  }

  @Put(':id')
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'updateSender', summary: 'Replace a sender' })
  @ApiOkResponse({ type: SenderResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async update(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: SenderDto): Promise<SenderResponseDto> {
    const tier = (await this.senders.brandLimit(auth.workspaceId))?.tenDlcTier ?? null;
    return present(await this.senders.update(auth.workspaceId, params.id, dto), tier);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'deleteSender', summary: 'Remove a sender (messages already sent keep it in their log)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404)
  async remove(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<void> {
    await this.senders.remove(auth.workspaceId, params.id);
  }
}
