import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class GroupResponseDto {
  @ApiProperty({ format: 'uuid', example: '6b1f0c1a-5a53-4a0b-9d2c-2f7a4b1b9e10' })
  id!: string;

  @ApiProperty({ example: 'VIP customers' })
  name!: string;

  @ApiProperty({ enum: ['static', 'opted_in', 'opted_out'], description: 'static groups are managed by hand; the two system groups follow consent' })
  kind!: string;

  @ApiProperty({ description: 'A system group (Opted-In, Opted-Out): membership follows consent and cannot be edited' })
  system!: boolean;

  @ApiProperty({ type: String, nullable: true, example: 'Spent over $500 last year' })
  description!: string | null;

  @ApiPropertyOptional({ example: 42 })
  memberCount?: number;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}

export class GroupDeletedResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: [true] })
  deleted!: true;
}

export class GroupMemberIdsPageDto {
  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: 'Member contact ids, ascending' })
  data!: string[];

  @ApiProperty({ type: String, nullable: true, description: 'The last id of this page; pass as `cursor` for the next; null on the last page' })
  nextCursor!: string | null;
}

export class GroupMemberCountResponseDto {
  @ApiProperty({ format: 'uuid' })
  groupId!: string;

  @ApiProperty({ example: 43 })
  memberCount!: number;
}

export class GroupMoveResponseDto {
  @ApiProperty({ format: 'uuid', description: 'The group the contacts left' })
  from!: string;

  @ApiProperty({ format: 'uuid', description: 'The group they joined' })
  to!: string;

  @ApiProperty({ example: 2 })
  moved!: number;
}
