import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '@optline/core';
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
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: Postgres and Redis both answer' })
  @ApiOkResponse({ schema: { example: { status: 'ok', info: { postgres: { status: 'up' }, redis: { status: 'up' } } } } })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; the body names it' })
  ready() {
    return this.health.check([() => this.db.pingCheck('postgres', { timeout: 2000 }), () => this.redis.check('redis')]);
  }
}
