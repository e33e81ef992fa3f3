import { ApiProperty } from '@nestjs/swagger';

export class AgentResponseDto {
  @ApiProperty({ format: 'uuid', example: '5d7c9a10-3f1e-4c39-9a55-0c7d2b7e8f11' })
  id!: string;

  @ApiProperty({ description: 'The name clients see', example: 'Dana Reyes' })
  displayName!: string;

  @ApiProperty({ format: 'uuid', description: 'The API key the agent works with' })
  apiKeyId!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;
}

export class CreatedAgentResponseDto extends AgentResponseDto {
  @ApiProperty({ type: String, nullable: true, description: 'A new support key, shown once (null when an existing key was bound)', example: 'olk_1a2b3c4d_…' })
  key!: string | null;
}
