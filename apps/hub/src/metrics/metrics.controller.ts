import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors, AppConfig, Metrics, Public } from '@optline/core';
import type { Response } from 'express';
import { metricsTokenRefusal } from './metrics-token';

/**
 * Prometheus scrape endpoint. Not an API route (no workspace, no key): it is guarded by its own
 * token so that a scraper's credential cannot do anything else (docs/decisions/0230).
 */
@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'getMetrics', summary: 'Prometheus metrics (text format), with the METRICS_TOKEN bearer token' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  @ApiErrors({ status: 401, description: 'missing_credentials or invalid_metrics_token' }, { status: 404, description: 'route_not_found: METRICS_TOKEN is not set, the endpoint is off' })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    const refusal = metricsTokenRefusal(this.config.METRICS_TOKEN, authorization);
    if (refusal) throw refusal;
    const { contentType, body } = await this.metrics.render();
    res.setHeader('Content-Type', contentType);
    res.status(200).send(body);
  }
}
