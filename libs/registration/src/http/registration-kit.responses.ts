import { ApiProperty } from '@nestjs/swagger';
import { BrandProfileResponseDto } from '@optline/core';

export class KitSampleDto {
  @ApiProperty({ format: 'uuid' })
  flowId!: string;

  @ApiProperty({ example: 'Win-back' })
  flowName!: string;

  @ApiProperty({ example: 'offer' })
  stepId!: string;

  @ApiProperty({ description: 'The send step as written', example: '{{ workspace.brandName }}: Hi {{ contact.firstName }}, 10% off this week. Reply STOP to opt out.' })
  template!: string;

  @ApiProperty({ description: 'Rendered for a sample contact', example: 'Acme Alerts: Hi Alex, 10% off this week. Reply STOP to opt out.' })
  text!: string;
}

export class KitCampaignDto {
  @ApiProperty({ example: 'Marketing', enum: ['Marketing', 'Delivery notifications', 'Account notifications', 'Customer care'] })
  useCase!: string;

  @ApiProperty({ enum: ['marketing', 'transactional', 'conversational'] })
  messageType!: string;

  @ApiProperty({ type: String, isArray: true, example: ['+13125550100'], description: 'The enabled senders that may carry this message type: the numbers to attach to the campaign' })
  senders!: string[];

  @ApiProperty({ description: 'Campaign description for the registration form' })
  description!: string;

  @ApiProperty({ description: 'How people opt in, with the disclosure they see' })
  messageFlow!: string;

  @ApiProperty({ type: KitSampleDto, isArray: true })
  samples!: KitSampleDto[];

  @ApiProperty({ type: String, isArray: true, example: ['STOP', 'UNSUBSCRIBE'] })
  optOutKeywords!: string[];

  @ApiProperty({ description: "The workspace's opt-out confirmation" })
  optOutReply!: string;

  @ApiProperty({ type: String, isArray: true, example: ['HELP', 'INFO'] })
  helpKeywords!: string[];

  @ApiProperty({ description: "The workspace's HELP answer" })
  helpReply!: string;

  @ApiProperty({ type: String, isArray: true, description: 'Consent ledger sources that recorded an opt-in of this message type', example: ['web_form'] })
  consentSources!: string[];

  @ApiProperty()
  embeddedLinks!: boolean;

  @ApiProperty()
  embeddedPhone!: boolean;

  @ApiProperty({ description: 'A template mentions alcohol, tobacco or cannabis' })
  ageGated!: boolean;
}

export class KitFindingDto {
  @ApiProperty({ enum: ['brand_mismatch', 'missing_opt_out', 'public_shortener', 'no_consent_source', 'missing_brand_field', 'template_not_renderable', 'no_sender'] })
  code!: string;

  @ApiProperty()
  message!: string;

  @ApiProperty({ type: String, nullable: true })
  useCase!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  flowId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  flowName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  stepId!: string | null;
}

export class RegistrationKitResponseDto {
  @ApiProperty({ type: BrandProfileResponseDto })
  brand!: BrandProfileResponseDto;

  @ApiProperty({ type: KitCampaignDto, isArray: true, description: 'One campaign registration per use case of the active flows' })
  campaigns!: KitCampaignDto[];

  @ApiProperty({ type: KitFindingDto, isArray: true, description: 'What would get the registration rejected; empty when ready' })
  findings!: KitFindingDto[];
}
