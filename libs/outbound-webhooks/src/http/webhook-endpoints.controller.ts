import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, ListOf, ListOfItems, PageOf, PageOfItems, RequirePermission } from '@optline/core';
import { WebhookDelivery } from '../deliveries/webhook-delivery.entity';
import { WebhookDeliveryService } from '../deliveries/webhook-delivery.service';
import { webhookIdOf } from '../deliveries/webhook-sender';
import { WebhookEndpoint } from '../endpoints/webhook-endpoint.entity';
import { EndpointWithSecret, WebhookEndpointService } from '../endpoints/webhook-endpoint.service';
import { WEBHOOK_EVENT_TYPES } from '../events/webhook-event-types';
import { CreateWebhookEndpointDto, DeliveryQueryDto, EndpointDeliveryParamsDto, UpdateWebhookEndpointDto } from './webhook-endpoint.dto';
import { WebhookDeliveryResponseDto, WebhookEndpointResponseDto, WebhookEndpointWithSecretResponseDto, WebhookEventTypeDto } from './webhook-endpoint.responses';

const EndpointList = ListOf(WebhookEndpointResponseDto);
const EventTypeList = ListOf(WebhookEventTypeDto);
const DeliveryPage = PageOf(WebhookDeliveryResponseDto);

/**
 * /v1/webhook-endpoints: URLs that receive the workspace's events, signed with Standard Webhooks
 * (docs/webhooks.md). Reading needs settings:read (secrets are never shown again); every change,
 * a test send and a replay need settings:write.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(
    private readonly endpoints: WebhookEndpointService,
    private readonly deliveries: WebhookDeliveryService,
  ) {}

  @Get('event-types')
  @RequirePermission('settings:read')
  @ApiOperation({ operationId: 'listWebhookEventTypes', summary: 'The event types an endpoint can subscribe to' })
  @ApiOkResponse({ type: EventTypeList })
  @ApiErrors(401, 403)
  eventTypes(): ListOfItems<WebhookEventTypeDto> {
    return { data: Object.entries(WEBHOOK_EVENT_TYPES).map(([type, description]) => ({ type, description })) };
  }

  @Get()
  @RequirePermission('settings:read')
  @ApiOperation({ operationId: 'listWebhookEndpoints', summary: "The workspace's webhook endpoints" })
  @ApiOkResponse({ type: EndpointList })
  @ApiErrors(401, 403)
  async list(@Auth() auth: AuthContext): Promise<ListOfItems<WebhookEndpointResponseDto>> {
    return { data: (await this.endpoints.list(auth.workspaceId)).map(endpointView) };
  }

  @Post()
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'createWebhookEndpoint', summary: 'Subscribes a URL to event types; answers its signing secret, once' })
  @ApiCreatedResponse({ type: WebhookEndpointWithSecretResponseDto })
  @ApiErrors(400, 401, 403, { status: 422, description: 'too_many_endpoints: at most 20 per workspace' })
  async create(@Auth() auth: AuthContext, @Body() body: CreateWebhookEndpointDto): Promise<WebhookEndpointWithSecretResponseDto> {
    return withSecret(await this.endpoints.create(auth.workspaceId, body));
  }

  @Get(':id')
  @RequirePermission('settings:read')
  @ApiOperation({ operationId: 'getWebhookEndpoint', summary: 'One endpoint (without its secret)' })
  @ApiOkResponse({ type: WebhookEndpointResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<WebhookEndpointResponseDto> {
    return endpointView(await this.endpoints.get(auth.workspaceId, params.id));
  }

  @Patch(':id')
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'updateWebhookEndpoint', summary: 'Changes the URL, description or event types; enables or disables it' })
  @ApiOkResponse({ type: WebhookEndpointResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async update(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() body: UpdateWebhookEndpointDto): Promise<WebhookEndpointResponseDto> {
    return endpointView(await this.endpoints.update(auth.workspaceId, params.id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'deleteWebhookEndpoint', summary: 'Removes the endpoint and its delivery log' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404)
  async remove(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<void> {
    await this.endpoints.remove(auth.workspaceId, params.id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'rotateWebhookEndpointSecret', summary: 'A new signing secret, effective at once; answers it, once' })
  @ApiOkResponse({ type: WebhookEndpointWithSecretResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async rotate(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<WebhookEndpointWithSecretResponseDto> {
    return withSecret(await this.endpoints.rotateSecret(auth.workspaceId, params.id));
  }

  @Post(':id/test')
  @HttpCode(200)
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'testWebhookEndpoint', summary: 'POSTs a signed webhook.test event now and answers how the endpoint replied (logged, never retried)' })
  @ApiOkResponse({ type: WebhookDeliveryResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async test(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<WebhookDeliveryResponseDto> {
    return deliveryView(await this.deliveries.sendTest(auth.workspaceId, params.id));
  }

  @Get(':id/deliveries')
  @RequirePermission('settings:read')
  @ApiOperation({ operationId: 'listWebhookDeliveries', summary: "The endpoint's delivery log, newest first" })
  @ApiOkResponse({ type: DeliveryPage })
  @ApiErrors(400, 401, 403, 404)
  async deliveryLog(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Query() query: DeliveryQueryDto): Promise<PageOfItems<WebhookDeliveryResponseDto>> {
    const limit = query.limit ?? 50;
    const rows = await this.deliveries.page(auth.workspaceId, params.id, { status: query.status, before: query.cursor, limit });
    return { data: rows.map(deliveryView), nextCursor: rows.length === limit ? rows[rows.length - 1].createdAt.toISOString() : null };
  }

  @Post(':id/deliveries/:deliveryId/replay')
  @HttpCode(202)
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'replayWebhookDelivery', summary: 'Sends a finished delivery once more (same webhook-id and body, newly signed)' })
  @ApiAcceptedResponse({ type: WebhookDeliveryResponseDto })
  @ApiErrors(400, 401, 403, 404, { status: 409, description: 'delivery_in_progress: still being attempted; endpoint_disabled: enable the endpoint first' })
  async replay(@Auth() auth: AuthContext, @Param() params: EndpointDeliveryParamsDto): Promise<WebhookDeliveryResponseDto> {
    return deliveryView(await this.deliveries.replay(auth.workspaceId, params.id, params.deliveryId));
  }
}

function endpointView(e: Omit<WebhookEndpoint, 'secret'>): WebhookEndpointResponseDto {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    disabledAt: e.disabledAt,
    failedInARow: e.failedInARow,
    secretHint: e.secretHint,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

function withSecret(e: EndpointWithSecret): WebhookEndpointWithSecretResponseDto {
  return { ...endpointView(e), secret: e.secret };
}

function deliveryView(d: WebhookDelivery): WebhookDeliveryResponseDto {
  return {
    id: d.id,
    endpointId: d.endpointId,
    webhookId: webhookIdOf(d.id),
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    maxAttempts: d.maxAttempts,
    responseStatus: d.responseStatus,
    latencyMs: d.latencyMs,
    error: d.error,
    nextAttemptAt: d.nextAttemptAt,
    lastAttemptAt: d.lastAttemptAt,
    attemptLog: d.attemptLog,
    payload: d.payload,
    createdAt: d.createdAt,
  };
}
