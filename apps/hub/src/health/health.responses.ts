import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';

export class LivenessResponseDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}

const CHECKS: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] }, message: { type: 'string' } }, required: ['status'] },
  example: { postgres: { status: 'up' }, redis: { status: 'up' } },
};

/** Terminus' health check answer: the same shape with 200 (all up) and 503 (one down). */
export class ReadinessResponseDto {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] })
  status!: string;

  @ApiPropertyOptional({ ...CHECKS, description: 'The checks that are up' })
  info?: Record<string, { status: string }>;

  @ApiPropertyOptional({ ...CHECKS, description: 'The checks that are down, each with its message', example: {} })
  error?: Record<string, { status: string }>;

  @ApiProperty({ ...CHECKS, description: 'Every check' })
  details!: Record<string, { status: string }>;

  @ApiProperty({ description: 'One line naming what is down (or that all is up)', example: 'redis is down: connect ECONNREFUSED 127.0.0.1:6390' })
  message!: string;
}
