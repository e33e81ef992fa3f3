import { Controller, HttpCode, Param, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AppConfig, Clock, Public } from '@optline/core';
import { IsUUID, Matches } from 'class-validator';
import type { Request } from 'express';
import { PLUGIN_ID_PATTERN } from '../installations/installation.dto';
import { toPluginRequest } from './plugin-request';
import { WebhookIngressService } from './webhook-ingress.service';

export class HookParamsDto {
  @ApiProperty({ example: 'shopify' })
  @Matches(PLUGIN_ID_PATTERN, { message: 'pluginId must be a plugin id such as "shopify"' })
  pluginId: string;

  @ApiProperty({ format: 'uuid', example: '5b0f8c1e-7a4e-4c55-9a62-0c7a2f3c9d11' })
  @IsUUID('all', { message: 'installationId must be a UUID' })
  installationId: string;
}

@ApiTags('webhooks')
@Controller('hooks')
export class WebhookIngressController {
  constructor(
    private readonly ingress: WebhookIngressService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  @Post(':pluginId/:installationId')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Webhook ingress for a plugin installation (the URL shown in the installation)',
    description:
      'Verified by the plugin on the raw body (401 otherwise), converted to canonical events (422 with the reason when the payload cannot be understood), ' +
      'and stored with a unique dedupe key before the 200. A redelivery answers 200 and is not processed again. ' +
      'A disabled installation answers 410 and stores nothing; too many requests answer 429 with Retry-After; an oversized body 413.',
  })
  @ApiOkResponse({ schema: { example: { received: 1, stored: ['0b7e5f1a-3c2d-4e5f-8a9b-1c2d3e4f5a6b'], duplicates: 0 } } })
  async receive(@Param() params: HookParamsDto, @Req() req: RawBodyRequest<Request>) {
    return this.ingress.receive(params.pluginId, params.installationId, toPluginRequest(req, this.config.publicUrl, this.clock.now()));
  }
}
