import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { Role, ROLES } from './permissions';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Support desk' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  name: string;

  @ApiProperty({ enum: ROLES, example: 'support' })
  @IsIn(ROLES as unknown as string[])
  role: Role;
}

