import { ApiProperty } from '@nestjs/swagger';

export class AgentResponseDto {
  @ApiProperty({ format: 'uuid', example: '5d7c9a10-3f1e-4c39-9a55-0c7d2b7e8f11' })
  id!: string;

  @ApiProperty({ description: 'The name clients see', example: 'Dana Reyes' })
  displayName!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The API key the agent works with (null: a person who signs in)' })
  apiKeyId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The person who signs in to the console as this agent (null: an API key)' })
  userId!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;
}

export class CreatedAgentResponseDto extends AgentResponseDto {
  @ApiProperty({ type: String, nullable: true, description: 'A new support key, shown once (null when an existing key was bound)', example: 'olk_1a2b3c4d_…' })
  key!: string | null;
}

export class CurrentAgentResponseDto {
  @ApiProperty({ type: AgentResponseDto, nullable: true, description: 'The agent the caller texts as; null when the caller writes as the team (a key without an agent, or a role that may not write)' })
  agent!: AgentResponseDto | null;
}
