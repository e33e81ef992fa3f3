import { Controller, HttpCode, Injectable, Param, PipeTransform, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors, AppConfig, Clock, DomainError, ErrorDetail, Metrics, Public, SpanKind, Tracing, ValidationFailedError } from '@optline/core';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import { PLUGIN_ID_PATTERN } from '../installations/installation.dto';
import { toPluginRequest } from './plugin-request';
import { IngressResponseDto } from './webhook-ingress.responses';
import { WebhookIngressService } from './webhook-ingress.service';

/** The hook URL's parameters, once checked. */
interface HookParams {
  pluginId: string;
  installationId: string;
}

/**
 * Checks the hook URL's parameters with the same rules and answers a params DTO would get from
 * the global ValidationPipe (400 naming each field), without its class-transformer/class-validator
 * round on every webhook: that round cost about as much CPU as the rest of the HTTP layer
 * (decision 0070). The parameter is typed as a plain object so the global pipe passes it through.
 */
@Injectable()
export class HookParamsPipe implements PipeTransform<Record<string, string>, HookParams> {
  transform(value: Record<string, string>): HookParams {
    const details: ErrorDetail[] = [];
    if (typeof value.pluginId !== 'string' || !PLUGIN_ID_PATTERN.test(value.pluginId)) {
      details.push({ field: 'pluginId', message: 'pluginId must be a plugin id such as "shopify"' });
    }
    if (!isUUID(value.installationId, 'all')) details.push({ field: 'installationId', message: 'installationId must be a UUID' });
    if (details.length > 0) throw new ValidationFailedError(details, 'invalid');
    return { pluginId: value.pluginId, installationId: value.installationId };
  }
}

@ApiTags('webhooks')
@Controller('hooks')
export class WebhookIngressController {
  constructor(
    private readonly ingress: WebhookIngressService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly tracing: Tracing,
  ) {}

  @Post(':pluginId/:installationId')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'receiveWebhook',
    summary: 'Webhook ingress for a plugin installation (the URL shown in the installation)',
    description:
      'Verified by the plugin on the raw body (401 otherwise), converted to canonical events (422 with the reason when the payload cannot be understood), ' +
      'and stored with a unique dedupe key before the 200. A redelivery answers 200 and is not processed again. ' +
      'A disabled installation answers 410 and stores nothing; too many requests answer 429 with Retry-After; an oversized body 413.',
  })
  @ApiParam({ name: 'pluginId', example: 'shopify' })
  @ApiParam({ name: 'installationId', format: 'uuid', example: '5b0f8c1e-7a4e-4c55-9a62-0c7a2f3c9d11' })
  @ApiOkResponse({ type: IngressResponseDto })
  @ApiErrors(400, 401, 404, 410, 413, 422, 429)
  async receive(@Param(HookParamsPipe) params: HookParams, @Req() req: RawBodyRequest<Request>): Promise<IngressResponseDto> {
    try {
      // The trace of what this delivery sets off starts here (or continues the sender's traceparent).
      const result = await this.tracing.inSpan(
        `webhook ${params.pluginId}`,
        { kind: SpanKind.SERVER, parent: firstHeader(req.headers.traceparent), attributes: { 'http.route': '/hooks/:pluginId/:installationId', 'optline.plugin': params.pluginId, 'optline.installation_id': params.installationId } },
        () => this.ingress.receive(params.pluginId, params.installationId, toPluginRequest(req, this.config.publicUrl, this.clock.now())),
      );
      this.metrics.webhooksReceived.inc({ plugin: params.pluginId });
      this.metrics.eventsStored.inc({ plugin: params.pluginId }, result.stored.length);
      return result;
    } catch (error) {
      // An unknown plugin id is a client's guess, not a plugin: one label for all of them.
      const plugin = error instanceof DomainError && error.code === 'installation_not_found' ? 'unknown' : params.pluginId;
      this.metrics.webhooksRejected.inc({ plugin, reason: error instanceof DomainError ? error.code : 'internal_error' });
      throw error;
    }
  }
}

function firstHeader(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}
