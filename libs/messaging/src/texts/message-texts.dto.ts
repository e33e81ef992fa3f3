import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional } from 'class-validator';
import { DEFAULT_TEXTS, SYSTEM_TEXT_KEYS, SYSTEM_TEXT_VARIABLES } from './system-texts';

export class UpdateMessageTextsDto {
  @ApiPropertyOptional({
    example: { help: '{{ workspace.brandName }}: Call {{ support }} for help. Reply STOP to opt out.', stop_confirmation: null },
    description: `Templates by key (${SYSTEM_TEXT_KEYS.join(', ')}); Liquid over ${SYSTEM_TEXT_VARIABLES.join(', ')}; null restores the default`,
  })
  @IsOptional()
  @IsObject()
  texts?: Record<string, string | null>;

  @ApiPropertyOptional({ example: true, description: "End the HELP answer with the person's preference-page link" })
  @IsOptional()
  @IsBoolean()
  helpPreferenceLink?: boolean;
}

export class MessageTextResponseDto {
  @ApiProperty({ description: 'The Liquid template in use', example: DEFAULT_TEXTS.stop_confirmation })
  template!: string;

  @ApiProperty({ description: 'The built-in wording' })
  default!: string;

  @ApiProperty({ description: 'The workspace replaced the default' })
  customized!: boolean;
}

export class MessageTextsResponseDto {
  @ApiProperty({
    description: `One entry per text: ${SYSTEM_TEXT_KEYS.join(', ')}`,
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/MessageTextResponseDto' },
  })
  texts!: Record<string, MessageTextResponseDto>;

  @ApiProperty({ description: 'Whether the HELP answer ends with the preference-page link' })
  helpPreferenceLink!: boolean;

  @ApiProperty({ type: [String], example: SYSTEM_TEXT_VARIABLES })
  placeholders!: string[];
}
