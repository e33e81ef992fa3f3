import { ApiProperty } from '@nestjs/swagger';
import { CONVERSATION_TEXT_VARIABLES, CONVERSATION_TEXTS, ConversationTextKey } from './conversation-texts';

export class ConversationTextResponseDto {
  @ApiProperty({ description: 'The Liquid template in use', example: CONVERSATION_TEXTS.optInRequest.default })
  template!: string;

  @ApiProperty({ description: 'The built-in wording' })
  default!: string;

  @ApiProperty({ enum: ['client', 'agent'], description: 'client: an SMS to the contact; agent: a notice to staff' })
  audience!: 'client' | 'agent';

  @ApiProperty({ description: 'The workspace replaced the default' })
  customized!: boolean;
}

export class ConversationTextsResponseDto implements Record<ConversationTextKey, ConversationTextResponseDto> {
  @ApiProperty({ type: ConversationTextResponseDto })
  optInRequest!: ConversationTextResponseDto;

  @ApiProperty({ type: ConversationTextResponseDto })
  agentOptInRequested!: ConversationTextResponseDto;

  @ApiProperty({ type: ConversationTextResponseDto })
  agentContactAttempted!: ConversationTextResponseDto;

  @ApiProperty({ type: ConversationTextResponseDto })
  agentOptedIn!: ConversationTextResponseDto;

  @ApiProperty({ type: ConversationTextResponseDto })
  agentOptedOut!: ConversationTextResponseDto;

  @ApiProperty({ type: ConversationTextResponseDto })
  disclaimerOutbound!: ConversationTextResponseDto;

  @ApiProperty({ type: ConversationTextResponseDto })
  disclaimerInbound!: ConversationTextResponseDto;
}

export class ConversationSettingsResponseDto {
  @ApiProperty({ enum: ['consent', 'disclaimer'], description: "The workspace's opt-in mode (set on the workspace)" })
  optInMode!: string;

  @ApiProperty({ description: "The team inbox's name", example: 'Acme Alerts' })
  teamName!: string;

  @ApiProperty({ type: ConversationTextsResponseDto })
  texts!: ConversationTextsResponseDto;

  @ApiProperty({ type: String, isArray: true, description: 'The placeholders a template may use', example: CONVERSATION_TEXT_VARIABLES })
  placeholders!: string[];
}
