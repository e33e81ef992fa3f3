import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FlowDefinition } from '../definition/flow-definition';
import { FLOW_MESSAGE_TYPES } from '../definition/flow-definition';
import { FlowDocumentDto } from '../definition/flow-document.dto';
import { FLOW_STATUSES } from '../persistence/flow.entity';
import { RUN_STATUSES } from '../persistence/flow-run.entity';


export class FlowVersionSummaryDto {
  @ApiProperty({ example: 2 })
  version!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}

export class FlowResponseDto {
  @ApiProperty({ format: 'uuid', example: '6c1f3f2e-3c1b-4a57-9b0e-2f1d5a7c9e11' })
  id!: string;

  @ApiProperty({ example: 'Abandoned cart' })
  name!: string;

  @ApiProperty({ enum: FLOW_STATUSES })
  status!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The built-in template it was made from', example: 'abandoned-cart' })
  templateKey!: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'The version new runs start on (null until the first activate)' })
  activeVersion!: number | null;

  @ApiProperty({ example: 2 })
  latestVersion!: number;

  @ApiProperty({ description: 'An edit of an active flow waits for the next activate' })
  hasDraftChanges!: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  activatedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  archivedAt!: Date | null;

  @ApiPropertyOptional({ description: 'The version shown in `definition` (absent in lists)' })
  version?: number;

  @ApiPropertyOptional({ type: FlowDocumentDto, description: 'The flow document of `version` (absent in lists)' })
  definition?: FlowDefinition;

  @ApiPropertyOptional({ description: 'Runs still going (lists and one flow)', example: 42 })
  liveRuns?: number;

  @ApiPropertyOptional({ type: String, isArray: true, example: ['checkout.updated'], description: "The trigger events of the current version, active or else latest (lists)" })
  triggerEvents?: string[];

  @ApiPropertyOptional({ description: 'The current version sends an opt-in request: contacts are invited one at a time with POST /v1/contacts/{id}/invite (lists)' })
  optIn?: boolean;

  @ApiPropertyOptional({ type: FlowVersionSummaryDto, isArray: true, description: 'Every saved version (one flow)' })
  versions?: FlowVersionSummaryDto[];

  @ApiPropertyOptional({ description: 'Live runs the archive ended (archive)', example: 42 })
  endedRuns?: number;
}

export class FlowValidResponseDto {
  @ApiProperty({ enum: [true], description: 'An invalid document answers 422 flow_invalid naming each failing field instead' })
  valid!: true;
}

export class EnrolmentSkippedDto {
  @ApiProperty({ description: 'Contacts already in a live run of this flow' })
  alreadyRunning!: number;

  @ApiProperty({ description: "Contacts the flow's re-entry rule kept out" })
  reentry!: number;

  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: 'Ids that are not contacts of this workspace' })
  unknownContacts!: string[];
}

export class EnrolmentResponseDto {
  @ApiProperty({ example: 2 })
  enrolled!: number;

  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: 'Up to 100 of the new run ids' })
  runIds!: string[];

  @ApiProperty({ type: EnrolmentSkippedDto })
  skipped!: EnrolmentSkippedDto;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startAt!: string | null;
}

export class FlowRunResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  flowId!: string;

  @ApiProperty({ format: 'uuid' })
  flowVersionId!: string;

  @ApiProperty({ format: 'uuid' })
  contactId!: string;

  @ApiProperty({ enum: RUN_STATUSES })
  status!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The step the run is at (null once ended)', example: 'wait-24h' })
  stepId!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  wakeAt!: Date | null;

  @ApiProperty({ type: String, enum: ['timer', 'reply'], nullable: true })
  waitKind!: 'timer' | 'reply' | null;

  @ApiProperty({ type: String, nullable: true, example: 'c1a2b3' })
  correlationKey!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  triggerEventId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  enrolledGroupId!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'A/B split arms taken, by step id' })
  arms!: Record<string, string>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Who invited the contact (runs started by an opt-in invitation)' })
  invitation?: unknown;

  @ApiProperty({ type: String, nullable: true, example: null })
  exitReason!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  startedAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  endedAt!: Date | null;
}

export class FlowRunMessageDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'delivered' })
  status!: string;

  @ApiProperty()
  body!: string;

  @ApiProperty({ enum: FLOW_MESSAGE_TYPES })
  type!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deferredUntil!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt!: Date | null;

  @ApiProperty({ type: String, nullable: true })
  reason!: string | null;
}

export class FlowRunStepResponseDto {
  @ApiProperty({ type: String, format: 'date-time' })
  at!: Date;

  @ApiProperty({ type: String, nullable: true })
  stepId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'send' })
  stepType!: string | null;

  @ApiProperty({ example: 'sent' })
  outcome!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  detail!: Record<string, unknown>;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  messageId!: string | null;

  @ApiPropertyOptional({ type: FlowRunMessageDto, nullable: true, description: 'The message the step sent (with messageId)' })
  message?: FlowRunMessageDto | null;
}

export class FlowRunTimelineResponseDto extends FlowRunResponseDto {
  @ApiProperty({ type: Number, nullable: true, example: 2, description: 'The number of the version the run executes' })
  flowVersion!: number | null;

  @ApiProperty({ type: FlowRunStepResponseDto, isArray: true })
  timeline!: FlowRunStepResponseDto[];
}

export class SimulatedStepDto {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: String, nullable: true })
  stepId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  stepType!: string | null;

  @ApiProperty({ example: 'waiting' })
  outcome!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  detail!: Record<string, unknown>;
}

export class SimulatedMessageDto {
  @ApiProperty()
  stepId!: string;

  @ApiProperty({ enum: FLOW_MESSAGE_TYPES })
  type!: FlowDefinition['messageType'];

  @ApiProperty()
  body!: string;

  @ApiProperty({ format: 'date-time', description: 'When the step ran' })
  submittedAt!: string;

  @ApiProperty({ format: 'date-time', description: 'When it would leave, quiet hours applied' })
  sendAt!: string;
}

export class SimulationResponseDto {
  @ApiProperty({ format: 'uuid' })
  flowId!: string;

  @ApiProperty()
  version!: number;

  @ApiProperty({ enum: ['completed', 'exited', 'waiting'] })
  status!: 'completed' | 'exited' | 'waiting';

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  endedAt!: string | null;

  @ApiProperty({ type: SimulatedStepDto, isArray: true })
  timeline!: SimulatedStepDto[];

  @ApiProperty({ type: SimulatedMessageDto, isArray: true })
  messages!: SimulatedMessageDto[];

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  arms!: Record<string, string>;
}

export class FlowWebhookSecretResponseDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Give it to a Standard Webhooks verifier as it is' })
  secret!: string;

  @ApiProperty({ example: 'webhook-signature' })
  header!: string;

  @ApiProperty({ example: 'Standard Webhooks v1: base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>"))' })
  scheme!: string;
}

export class FlowTemplateResponseDto {
  @ApiProperty({ example: 'abandoned-cart' })
  key!: string;

  @ApiProperty({ example: 'Abandoned cart' })
  title!: string;

  @ApiProperty({ example: 'ecommerce' })
  category!: string;

  @ApiProperty()
  summary!: string;

  @ApiProperty({ enum: FLOW_MESSAGE_TYPES })
  messageType!: string;

  @ApiProperty({ type: String, isArray: true, example: ['checkout.updated'] })
  triggerEvents!: string[];

  @ApiPropertyOptional({ type: FlowDocumentDto })
  definition?: FlowDefinition;
}
