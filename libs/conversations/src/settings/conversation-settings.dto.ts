import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';

export class UpdateConversationSettingsDto {
  @ApiPropertyOptional({ example: 'Acme Support', nullable: true, description: 'The name team-inbox texts use; null = the brand name' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  teamName?: string | null;

  @ApiPropertyOptional({
    example: { optInRequest: '[Auto Message] {{ agent.name }} from {{ workspace.brandName }} would like to text you. Reply YES to opt in, STOP to opt out.', agentOptedIn: null },
    description: 'Templates by text key (Liquid; placeholders agent.name, workspace.name, workspace.brandName, contact.firstName, contact.lastName); null restores the default',
  })
  @IsOptional()
  @IsObject()
  texts?: Record<string, string | null>;
}
