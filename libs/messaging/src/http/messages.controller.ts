import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, invalidField, PageOf, PageOfItems, RequirePermission } from '@optline/core';
import type { Response } from 'express';
import { SendGateway } from '../gateway/send-gateway.service';
import { MessageLogService } from '../message/message-log.service';
import { presentMessage } from './message.presenter';
import { MessageCheckResponseDto, MessageResponseDto } from './message.responses';
import { CheckMessageDto, ListMessagesQueryDto, SendMessageDto } from './messages.dto';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@ApiTags('messages')
@ApiBearerAuth()
@Controller('v1/messages')
export class MessagesController {
  constructor(
    private readonly gateway: SendGateway,
    private readonly log: MessageLogService,
  ) {}

  @Post()
  @HttpCode(202)
  @RequirePermission('messages:send')
  @ApiOperation({
    operationId: 'sendMessage',
    summary: 'Send a message through the gateway. Queued now; suppression, consent, quiet hours and caps are checked at send time.',
    description: 'The same Idempotency-Key returns the first message (header Idempotent-Replayed: true) and sends nothing again.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Up to 200 printable ASCII characters, unique per message' })
  @ApiAcceptedResponse({ type: MessageResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async send(@Auth() auth: AuthContext, @Headers('idempotency-key') key: string | undefined, @Body() dto: SendMessageDto, @Res({ passthrough: true }) res: Response): Promise<MessageResponseDto> {
    if (!key || !IDEMPOTENCY_KEY.test(key)) throw invalidField('Idempotency-Key', 'send an Idempotency-Key header (1–200 printable ASCII characters)', 'idempotency_key_required');
    if (!dto.to === !dto.contactId) throw invalidField(dto.to ? 'contactId' : 'to', 'give exactly one of to or contactId');
    const { message, created } = await this.gateway.submitDetailed({
      workspaceId: auth.workspaceId,
      contactId: dto.contactId,
      phone: dto.to,
      type: dto.type,
      body: dto.body,
      template: dto.template,
      data: dto.data,
      notBefore: dto.notBefore,
      idempotencyKey: `api:${key}`,
      origin: { ...(auth.apiKeyId && { apiKeyId: auth.apiKeyId }), ...(auth.userId && { userId: auth.userId }) },
    });
    if (!created) res.setHeader('Idempotent-Replayed', 'true');
    return presentMessage(message);
  }

  @Post('check')
  @HttpCode(200)
  @RequirePermission('messages:read')
  @ApiOperation({ operationId: 'checkMessage', summary: "Explain, without sending, what the gateway would do now for a phone and a type, with every policy's reason" })
  @ApiOkResponse({ type: MessageCheckResponseDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async check(@Auth() auth: AuthContext, @Body() dto: CheckMessageDto): Promise<MessageCheckResponseDto> {
    if (!dto.phone === !dto.contactId) throw invalidField(dto.phone ? 'contactId' : 'phone', 'give exactly one of phone or contactId');
    return this.gateway.check(auth.workspaceId, (dto.phone ?? dto.contactId)!, dto.type, dto.systemKind);
  }

  @Get()
  @RequirePermission('messages:read')
  @ApiOperation({ operationId: 'listMessages', summary: 'The message log, newest first, filtered by contact, status, reason, direction, type, origin and time' })
  @ApiOkResponse({ type: PageOf(MessageResponseDto) })
  @ApiErrors(400, 401, 403)
  async list(@Auth() auth: AuthContext, @Query() query: ListMessagesQueryDto): Promise<PageOfItems<MessageResponseDto>> {
    const page = await this.log.list(auth.workspaceId, query);
    return { data: page.data.map((m) => presentMessage(m)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @RequirePermission('messages:read')
  @ApiOperation({ operationId: 'getMessage', summary: 'One message with every policy decision and its branded links' })
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<MessageResponseDto> {
    const { message, links } = await this.log.get(auth.workspaceId, params.id);
    return presentMessage(message, links);
  }
}
