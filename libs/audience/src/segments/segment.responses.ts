import { ApiProperty } from '@nestjs/swagger';

export class SegmentResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Repeat buyers, last 90 days' })
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'JSON Logic, as saved' })
  conditions!: Record<string, unknown>;

  @ApiProperty({ example: 'user:6b1f0c1a-5a53-4a0b-9d2c-2f7a4b1b9e10' })
  createdBy!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;
}

export class SegmentCountResponseDto {
  @ApiProperty({ example: 41250, description: 'Contacts matching now (erased contacts excluded)' })
  count!: number;
}

export class SegmentDeletedResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: [true] })
  deleted!: true;
}
