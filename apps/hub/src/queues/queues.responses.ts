import { ApiProperty } from '@nestjs/swagger';

export class QueueCountsDto {
  @ApiProperty({ example: 'sends' })
  name!: string;

  @ApiProperty({ description: 'Jobs waiting for a worker' })
  waiting!: number;

  @ApiProperty({ description: 'Jobs a worker is running now' })
  active!: number;

  @ApiProperty({ description: 'Jobs waiting for their time (retries, timers)' })
  delayed!: number;

  @ApiProperty({ description: 'Jobs that gave up (kept up to the last 5,000)' })
  failed!: number;

  @ApiProperty({ description: 'Recently completed jobs (kept up to the last 1,000)' })
  completed!: number;

  @ApiProperty({ description: 'Whether the queue is paused' })
  paused!: boolean;
}

export class FailedJobDto {
  @ApiProperty({ example: 'webhook.deliver:3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10:1' })
  id!: string;

  @ApiProperty({ example: 'webhook.deliver' })
  name!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The payload: ids only (a job says "look at row X")' })
  data!: Record<string, unknown>;

  @ApiProperty({ example: 'connect ECONNREFUSED 127.0.0.1:5432' })
  failedReason!: string;

  @ApiProperty()
  attemptsMade!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  failedAt!: string | null;
}

export class RetriedJobDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ example: 'waiting', description: 'The state after the retry' })
  state!: string;
}
