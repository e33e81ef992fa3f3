import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ConfigSchema } from '../contract/config-schema';
import type { WritebackProblem } from '../writeback/writeback.repository';
import type { InstallationView, PluginView } from './installation-view.service';
import type { InstallationError } from './plugin-installation.entity';

export class InstallationErrorDto implements InstallationError {
  @ApiProperty({ description: 'Where it happened: verify, payload, plugin, enable, disable, writeback, or a plugin’s own', example: 'verify' })
  source!: string;

  @ApiProperty({ example: 'X-Shopify-Hmac-Sha256 does not match the body' })
  message!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class InstallationEventCountsDto {
  @ApiProperty() received!: number;
  @ApiProperty() processed!: number;
  @ApiProperty() ignored!: number;
  @ApiProperty() failed!: number;
}

export class InstallationWritebackCountsDto {
  @ApiProperty() pending!: number;
  @ApiProperty() succeeded!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() skipped!: number;
}

export class InstallationCountsDto {
  @ApiProperty({ description: 'Webhook deliveries accepted' })
  received!: number;

  @ApiProperty({ description: 'Deliveries of events already stored' })
  duplicates!: number;

  @ApiProperty({ description: 'Deliveries refused (signature, payload)' })
  rejected!: number;

  @ApiProperty({ type: InstallationEventCountsDto })
  events!: InstallationEventCountsDto;

  @ApiProperty({ type: InstallationWritebackCountsDto })
  writebacks!: InstallationWritebackCountsDto;
}

export class WritebackProblemDto implements WritebackProblem {
  @ApiProperty({ format: 'uuid' }) consentEventId!: string;
  @ApiProperty({ format: 'uuid' }) contactId!: string;
  @ApiProperty({ example: 'marketing' }) messageType!: string;
  @ApiProperty({ example: 'opted_out' }) state!: string;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed', 'skipped'] }) status!: WritebackProblem['status'];
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) at!: Date;
}

export class InstallationStatusDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  enabledAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastEventAt!: Date | null;

  @ApiProperty({ type: InstallationErrorDto, nullable: true })
  lastError!: InstallationErrorDto | null;

  @ApiProperty({ type: InstallationCountsDto })
  counts!: InstallationCountsDto;

  @ApiProperty({ type: WritebackProblemDto, isArray: true, description: 'The latest write-backs that failed at least once, newest first' })
  writebackProblems!: WritebackProblemDto[];
}

export class InstallationResponseDto implements InstallationView {
  @ApiProperty({ format: 'uuid', example: '5b0f8c1e-7a4e-4c55-9a62-0c7a2f3c9d11' })
  id!: string;

  @ApiProperty({ example: 'shopify' })
  pluginId!: string;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The configuration, secrets masked' })
  config!: Record<string, unknown>;

  @ApiProperty({ type: String, nullable: true, description: "Where to point the remote system's webhooks; null for plugins without webhook ingress" })
  webhookUrl!: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Webhook rate limit of this installation (null: the default)' })
  requestsPerMinute!: number | null;

  @ApiProperty({ type: InstallationStatusDto })
  status!: InstallationStatusDto;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;
}

export class PluginResponseDto implements PluginView {
  @ApiProperty({ example: 'web-forms' })
  id!: string;

  @ApiProperty({ example: 'Web forms' })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: String, isArray: true, description: 'Canonical events the plugin emits', example: ['form.submitted'] })
  emits!: readonly string[];

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'A JSON Schema of the installation config (secret fields carry `secret: true`)',
    example: { type: 'object', required: ['forms'], properties: { forms: { type: 'array' }, signingSecret: { type: 'string', secret: true } } },
  })
  configSchema!: ConfigSchema;

  @ApiProperty({ description: 'The plugin writes consent changes back to the remote system' })
  writesConsentBack!: boolean;

  @ApiPropertyOptional({ type: InstallationResponseDto, nullable: true, description: "This workspace's installation (null when not installed)" })
  installation!: InstallationResponseDto | null;
}
