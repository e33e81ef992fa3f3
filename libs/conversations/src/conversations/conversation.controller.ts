import { Body, Controller, Get, Headers, HttpCode, MessageEvent, Param, Post, Query, Res, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, invalidField, PageOf, PageOfItems, RequirePermission, ValidationFailedError } from '@optline/core';
import type { Response } from 'express';
import { Observable } from 'rxjs';
import { AgentService } from '../agents/agent.service';
import { ConversationSender } from '../routing/conversation-sender.service';
import { ConversationStreamService } from '../stream/conversation-stream.service';
import { decodeEntryCursor, ConversationTimeline } from './conversation-timeline.service';
import { AssignConversationDto, ListConversationsQueryDto, ListEntriesQueryDto, SendConversationMessageDto, StartConversationDto } from './conversation.dto';
import { presentConversation } from './conversation.presenter';
import { ConversationEntryResponseDto, ConversationResponseDto, StartedConversationResponseDto } from './conversation.responses';
import { ConversationService } from './conversation.service';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,180}$/;

function idempotencyKey(raw: string | undefined): string {
  if (!raw || !IDEMPOTENCY_KEY.test(raw)) throw invalidField('Idempotency-Key', 'send an Idempotency-Key header (1–180 printable ASCII characters)', 'idempotency_key_required');
  return raw;
}

function decodeInboxCursor(cursor: string): { lastActivityAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const lastActivityAt = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(lastActivityAt.getTime())) throw invalidField('cursor', 'cursor is not one this API gave out');
  return { lastActivityAt, id };
}

@ApiTags('conversations')
@ApiBearerAuth()
@Controller('v1/conversations')
export class ConversationController {
  constructor(
    private readonly agents: AgentService,
    private readonly conversations: ConversationService,
    private readonly timeline: ConversationTimeline,
    private readonly sender: ConversationSender,
    private readonly stream: ConversationStreamService,
  ) {}

  @Get()
  @RequirePermission('conversations:read')
  @ApiOperation({ operationId: 'listConversations', summary: 'The inbox: conversations the caller may see (agents: their own and the team inbox; admins: all), with last message, unread count and consent state; filters and search by name or phone' })
  @ApiOkResponse({ type: PageOf(ConversationResponseDto) })
  @ApiErrors(400, 401, 403)
  async list(@Auth() auth: AuthContext, @Query() query: ListConversationsQueryDto): Promise<PageOfItems<ConversationResponseDto>> {
    const viewer = await this.agents.viewer(auth);
    const limit = query.limit ?? 50;
    const agentId = query.agentId === undefined ? undefined : query.agentId === 'team' ? null : query.agentId;
    const rows = await this.conversations.list(viewer, { agentId, filter: query.filter, search: query.q?.trim() || undefined, before: query.cursor ? decodeInboxCursor(query.cursor) : undefined, limit });
    const last = rows[rows.length - 1]?.conversation;
    return {
      data: rows.map(presentConversation),
      nextCursor: rows.length === limit && last ? Buffer.from(`${last.lastActivityAt.toISOString()}|${last.id}`).toString('base64url') : null,
    };
  }

  @Post()
  @HttpCode(200)
  @RequirePermission('conversations:write')
  @ApiOperation({
    operationId: 'startConversation',
    summary: 'Start (or open) the conversation with a phone number, optionally with a first text',
    description: "A contact has one conversation: when someone else's, 409. A first text needs an Idempotency-Key header.",
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Required with a body: up to 180 printable ASCII characters' })
  @ApiOkResponse({ type: StartedConversationResponseDto })
  @ApiErrors(400, 401, 403, 409, 422)
  async start(@Auth() auth: AuthContext, @Body() dto: StartConversationDto, @Headers('idempotency-key') key: string | undefined): Promise<StartedConversationResponseDto> {
    const viewer = await this.agents.viewer(auth);
    const clientKey = dto.body !== undefined ? idempotencyKey(key) : null;
    const { conversation, created } = await this.conversations.start(viewer, { phone: dto.phone, agentId: dto.agentId });
    const sent = clientKey ? await this.sender.send(viewer, conversation, dto.body!, clientKey) : null;
    return { conversation: presentConversation(await this.conversations.summary(viewer, conversation.id)), created, message: sent?.view ?? null };
  }

  @Sse('stream')
  @RequirePermission('conversations:read')
  @ApiOperation({
    operationId: 'streamConversationEvents',
    summary: 'Server-sent events: the inbox as it changes (new messages and notices, status changes, reads, assignments)',
    description: 'Send `Accept: text/event-stream` (EventSource does). Each event is `event: <type>` with the JSON the REST API answers; a comment line every 25 s keeps the connection open.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'A stream of `event: <type>` / `data: <json>` frames',
    content: { 'text/event-stream': { schema: { type: 'string', example: 'event: entry.created\ndata: {"type":"entry.created","conversationId":"0b6e…","data":{…}}\n\n' } } },
  })
  @ApiErrors(400, 401, 403)
  async events(@Auth() auth: AuthContext, @Headers('accept') accept: string | undefined): Promise<Observable<MessageEvent>> {
    // Refused before the stream opens (an exception filter can still answer): a generic HTTP
    // client would otherwise hang on an endless answer.
    if (!accept?.includes('text/event-stream')) {
      throw new ValidationFailedError([{ field: 'Accept', message: 'this route streams server-sent events: send Accept: text/event-stream' }], 'invalid', 'event_stream_required');
    }
    return this.stream.events(await this.agents.viewer(auth));
  }

  @Get(':id')
  @RequirePermission('conversations:read')
  @ApiOperation({ operationId: 'getConversation', summary: 'One conversation (404 when it is another agent\'s)' })
  @ApiOkResponse({ type: ConversationResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<ConversationResponseDto> {
    return presentConversation(await this.conversations.summary(await this.agents.viewer(auth), params.id));
  }

  @Get(':id/messages')
  @RequirePermission('conversations:read')
  @ApiOperation({ operationId: 'listConversationMessages', summary: 'The timeline: texts in both directions with held / blocked markers, the automatic texts, and the notices to staff' })
  @ApiOkResponse({ type: PageOf(ConversationEntryResponseDto) })
  @ApiErrors(400, 401, 403, 404)
  async messages(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Query() query: ListEntriesQueryDto): Promise<PageOfItems<ConversationEntryResponseDto>> {
    const conversation = await this.conversations.get(await this.agents.viewer(auth), params.id);
    const before = query.cursor ? decodeEntryCursor(query.cursor) : undefined;
    if (before === null) throw invalidField('cursor', 'cursor is not one this API gave out');
    return this.timeline.page(conversation, before, query.limit ?? 50);
  }

  @Post(':id/messages')
  @HttpCode(201)
  @RequirePermission('conversations:write')
  @ApiOperation({
    operationId: 'sendConversationMessage',
    summary: 'Send a text as the calling agent',
    description:
      'Consent mode without consent: held (status `held`) and the contact is asked to reply YES. Disclaimer mode: the first text is preceded by the disclaimer. The same Idempotency-Key answers the first result (Idempotent-Replayed: true).',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Up to 180 printable ASCII characters, unique per text' })
  @ApiCreatedResponse({ type: ConversationEntryResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async send(
    @Auth() auth: AuthContext,
    @Param() params: IdParamDto,
    @Body() dto: SendConversationMessageDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const clientKey = idempotencyKey(key);
    const viewer = await this.agents.viewer(auth);
    const conversation = await this.conversations.get(viewer, params.id);
    const { view, replayed } = await this.sender.send(viewer, conversation, dto.body, clientKey);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return view;
  }

  @Post(':id/read')
  @HttpCode(200)
  @RequirePermission('conversations:write')
  @ApiOperation({ operationId: 'markConversationRead', summary: 'Mark the conversation read (unread count back to 0)' })
  @ApiOkResponse({ type: ConversationResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async read(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<ConversationResponseDto> {
    const viewer = await this.agents.viewer(auth);
    await this.conversations.markRead(viewer, params.id);
    return presentConversation(await this.conversations.summary(viewer, params.id));
  }

  @Post(':id/assign')
  @HttpCode(200)
  @RequirePermission('conversations:write')
  @ApiOperation({ operationId: 'assignConversation', summary: 'Assign the conversation to an agent, or back to the team inbox (agentId null)' })
  @ApiOkResponse({ type: ConversationResponseDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async assign(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: AssignConversationDto): Promise<ConversationResponseDto> {
    const viewer = await this.agents.viewer(auth);
    if (dto.agentId === undefined) throw invalidField('agentId', 'agentId is required (an agent id, or null for the team inbox)');
    const conversation = await this.conversations.assign(viewer, params.id, dto.agentId);
    // Answered even when the caller handed it to someone else and can no longer open it.
    return presentConversation((await this.conversations.summaries(conversation.workspaceId, [conversation]))[0]);
  }
}
