import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDate,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  registerDecorator,
} from 'class-validator';
import { IsDateInAcceptedRange, IsTimeZone } from '@optline/core';
import { FLOW_EVENT_TYPES } from '../definition/flow-definition';
import { FLOW_STATUSES, FlowStatus } from '../persistence/flow.entity';
import { RUN_STATUSES, RunStatus } from '../persistence/flow-run.entity';
import { MAX_FLOW_DURATION, MAX_FLOW_DURATION_MS, parseIsoDuration } from '../time/iso-duration';

const toDate = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? new Date(value) : value);
/** A simulated moment at most MAX_FLOW_DURATION after the start (a longer one is past any wait a flow may hold). */
function IsWithinFlowHorizon(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isWithinFlowHorizon',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be at most ${MAX_FLOW_DURATION} after the start` },
      validator: {
        validate: (value: unknown) => {
          const duration = typeof value === 'string' ? parseIsoDuration(value) : null;
          return duration === null || duration.toMillis() <= MAX_FLOW_DURATION_MS;
        },
      },
    });
}

const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

export class ListFlowsQueryDto {
  @ApiPropertyOptional({ enum: FLOW_STATUSES, example: 'active' })
  @IsOptional()
  @IsIn(FLOW_STATUSES as unknown as string[], { message: `status must be one of ${FLOW_STATUSES.join(', ')}` })
  status?: FlowStatus;
}

export class GetFlowQueryDto {
  @ApiPropertyOptional({ example: 1, description: 'A saved version (default: the latest)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'version must be a version number such as 1' })
  @Min(1, { message: 'version must be a version number such as 1' })
  version?: number;
}

export class FromTemplateDto {
  @ApiProperty({ example: 'abandoned-cart', description: 'A key from GET /v1/flow-templates' })
  @IsString()
  @Matches(/^[a-z0-9-]{2,64}$/, { message: 'templateKey must be a template key such as abandoned-cart' })
  templateKey: string;

  @ApiPropertyOptional({ example: 'Abandoned cart (spring)' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  name?: string;
}

export class TemplateKeyParamDto {
  @ApiProperty({ example: 'abandoned-cart' })
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,64}$/, { message: 'key must be a template key such as abandoned-cart' })
  key: string;
}

export class EnrollDto {
  @ApiPropertyOptional({ example: ['9b2f4c1e-2d1c-4f7e-9a59-0c1b7f6f2a10'], description: 'Up to 1000 contact ids (or give groupId)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true, message: 'each contact id must be a UUID' })
  contactIds?: string[];

  @ApiPropertyOptional({ example: '0c5b2d7e-5a8f-4a3e-b6a4-3e9f5d1c2b7a', description: 'Enrol every member of this group (one run per contact)' })
  @IsOptional()
  @IsUUID('all', { message: 'groupId must be a UUID' })
  groupId?: string;

  @ApiPropertyOptional({ example: '2026-11-27T14:00:00Z', description: 'Start the runs at this time (a scheduled campaign or flash sale)' })
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'startAt must be an ISO-8601 date-time' })
  @IsDateInAcceptedRange()
  startAt?: Date;

  @ApiPropertyOptional({ example: { saleName: 'Black Friday', code: 'BF30', url: 'https://acme.test/sale' }, description: 'The runs\' event data (`event.*`)' })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
}

export class ListRunsQueryDto {
  @ApiPropertyOptional({ enum: RUN_STATUSES })
  @IsOptional()
  @IsIn(RUN_STATUSES as unknown as string[], { message: `status must be one of ${RUN_STATUSES.join(', ')}` })
  status?: RunStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'contactId must be a UUID' })
  contactId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Cursor: the last run id of the previous page' })
  @IsOptional()
  @IsUUID('all', { message: 'after must be a run id' })
  after?: string;

  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class SimulatedContactDto {
  @ApiPropertyOptional({ example: 'Dana' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  firstName?: string;

  @ApiPropertyOptional({ example: 'Reyes' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lastName?: string;

  @ApiPropertyOptional({ example: '+13125550142' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  phone?: string;

  @ApiPropertyOptional({ example: 'America/Chicago' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ example: { birthday: '1990-03-14' } })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;
}

export class SimulatedReplyDto {
  @ApiPropertyOptional({ example: 'PT2H', description: 'When, after the start (or give at)' })
  @IsOptional()
  @Matches(ISO_DURATION, { message: 'after must be an ISO-8601 duration such as PT2H' })
  @IsWithinFlowHorizon()
  after?: string;

  @ApiPropertyOptional({ example: '2026-11-22T16:00:00Z' })
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'at must be an ISO-8601 date-time' })
  @IsDateInAcceptedRange()
  at?: Date;

  @ApiProperty({ example: 'YES' })
  @IsString()
  @MaxLength(1600)
  body: string;
}

export class SimulatedEventDto {
  @ApiProperty({ example: 'order.created', enum: FLOW_EVENT_TYPES })
  @IsIn(FLOW_EVENT_TYPES as unknown as string[], { message: `type must be one of ${FLOW_EVENT_TYPES.join(', ')}` })
  type: string;

  @ApiPropertyOptional({ example: 'PT30M' })
  @IsOptional()
  @Matches(ISO_DURATION, { message: 'after must be an ISO-8601 duration such as PT30M' })
  @IsWithinFlowHorizon()
  after?: string;

  @ApiPropertyOptional({ example: '2026-11-22T16:00:00Z' })
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'at must be an ISO-8601 date-time' })
  @IsDateInAcceptedRange()
  at?: Date;

  @ApiPropertyOptional({ example: { checkoutToken: 'c1a2b3' } })
  @IsOptional()
  @IsObject()
  correlation?: Record<string, string>;
}

export class SimulateDto {
  @ApiPropertyOptional({ example: { checkoutToken: 'c1a2b3', checkoutUrl: 'https://acme.test/checkouts/c1a2b3' }, description: 'The sample event data (`event.*`)' })
  @IsOptional()
  @IsObject()
  event?: Record<string, unknown>;

  @ApiPropertyOptional({ example: { checkoutToken: 'c1a2b3' } })
  @IsOptional()
  @IsObject()
  correlation?: Record<string, string>;

  @ApiPropertyOptional({ format: 'uuid', description: "A real contact: their fields, zone and consent are used (nothing is sent)" })
  @IsOptional()
  @IsUUID('all', { message: 'contactId must be a UUID' })
  contactId?: string;

  @ApiPropertyOptional({ type: SimulatedContactDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SimulatedContactDto)
  contact?: SimulatedContactDto;

  @ApiPropertyOptional({ example: { marketing: 'opted_in' }, description: 'Consent per type (default: opted_in for every type, or the real contact\'s)' })
  @IsOptional()
  @IsObject()
  consent?: Record<string, string>;

  @ApiPropertyOptional({ example: '2026-11-22T15:00:00Z', description: 'Virtual start (default: now)' })
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'startAt must be an ISO-8601 date-time' })
  @IsDateInAcceptedRange()
  startAt?: Date;

  @ApiPropertyOptional({ type: [SimulatedReplyDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SimulatedReplyDto)
  replies?: SimulatedReplyDto[];

  @ApiPropertyOptional({ type: [SimulatedEventDto], description: 'Later events, e.g. the order that ends an abandoned cart' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SimulatedEventDto)
  events?: SimulatedEventDto[];

  @ApiPropertyOptional({ example: 2, description: 'Version to simulate (default: the latest)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}
