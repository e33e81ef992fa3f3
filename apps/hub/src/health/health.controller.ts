import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '@optline/core';
import { LivenessResponseDto, ReadinessResponseDto } from './health.responses';
import { RedisHealthIndicator } from './redis.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ operationId: 'getLiveness', summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: LivenessResponseDto })
  live(): LivenessResponseDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOperation({ operationId: 'getReadiness', summary: 'Readiness: Postgres and Redis both answer' })
  @ApiOkResponse({ type: ReadinessResponseDto })
  @ApiServiceUnavailableResponse({ type: ReadinessResponseDto, description: 'A dependency is down: `message` and `error` name it' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessResponseDto> {
    let result: HealthCheckResult;
    try {
      result = await this.health.check([() => this.db.pingCheck('postgres', { timeout: 2000 }), () => this.redis.check('redis')]);
    } catch (error) {
      // Terminus throws its answer inside a 503; the exception filter would flatten that to
      // "Service Unavailable Exception", so the answer is written here, naming what is down.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
    }
    const down = Object.entries(result.details).filter(([, check]) => check.status !== 'up');
    if (down.length === 0 && result.status === 'ok') return toBody(result, 'postgres and redis are up');
    res.status(503);
    const message =
      down.length > 0
        ? down.map(([name, check]) => `${name} is down${typeof check.message === 'string' ? `: ${check.message}` : ''}`).join('; ')
        : 'the hub is shutting down';
    return toBody(result, message);
  }
}

type Checks = Record<string, { status: string }>;

function toBody(result: HealthCheckResult, message: string): ReadinessResponseDto {
  return { status: result.status, info: result.info as Checks | undefined, error: result.error as Checks | undefined, details: result.details as Checks, message };
}
