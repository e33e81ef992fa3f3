import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export class CreateAgentDto {
  @ApiProperty({ example: 'Dana Reyes', description: 'The name clients see in texts' })
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  displayName: string;

  @ApiPropertyOptional({
    format: 'uuid',
    example: '9e7a2c1b-8c55-4c9e-a0e4-52e0f6f0c2aa',
    description: "An existing key (role support or admin) to bind; omitted, a support key is issued for the agent and returned once",
  })
  @IsOptional()
  @IsUUID('all', { message: 'apiKeyId must be a UUID' })
  apiKeyId?: string;
}

export class UpdateAgentDto {
  @ApiProperty({ example: 'Dana R.' })
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  displayName: string;
}
