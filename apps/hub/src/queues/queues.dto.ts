import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { QUEUES, QueueName } from '@optline/core';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const QUEUE_NAMES = Object.values(QUEUES);

/** A queue is named like an id: an unknown name is 404 `queue_not_found` (the answer lists the queues). */
export class QueueParamDto {
  @ApiProperty({ enum: QUEUE_NAMES })
  @IsString()
  @MaxLength(50)
  @Matches(/^[a-z-]+$/, { message: 'name must be a queue name such as sends' })
  name: QueueName;
}

export class QueueJobParamDto extends QueueParamDto {
  @ApiProperty({ example: 'webhook.deliver:3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10:1' })
  @IsString()
  @MaxLength(300)
  @Matches(/^[\w.:+-]+$/, { message: 'jobId may hold letters, digits and . : _ + -' })
  jobId: string;
}

export class FailedJobsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 100' })
  @Min(1, { message: 'limit must be a whole number from 1 to 100' })
  @Max(100, { message: 'limit must be a whole number from 1 to 100' })
  limit?: number;
}
