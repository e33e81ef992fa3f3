import { ApiProperty } from '@nestjs/swagger';
import { ROLES } from './permissions';

export class ApiKeyResponseDto {
  @ApiProperty({ format: 'uuid', example: '9e7a2c1b-8c55-4c9e-a0e4-52e0f6f0c2aa' })
  id!: string;

  @ApiProperty({ example: 'Support desk' })
  name!: string;

  @ApiProperty({ enum: ROLES, example: 'support' })
  role!: string;

  @ApiProperty({ description: 'The visible start of the key, to tell keys apart', example: 'olk_1a2b3c4d' })
  prefix!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt!: Date | null;
}

export class IssuedApiKeyResponseDto extends ApiKeyResponseDto {
  @ApiProperty({ description: 'The key itself: shown in this answer only, stored hashed', example: 'olk_1a2b3c4d_Xy…' })
  key!: string;
}
