import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/** Path parameters that are ids are validated as DTOs, so a malformed id is a 400, not a 500. */
export class IdParamDto {
  @ApiProperty({ format: 'uuid', example: '3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}
