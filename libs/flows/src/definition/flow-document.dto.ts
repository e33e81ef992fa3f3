import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import {
  CONSENT_TYPES,
  FLOW_EVENT_TYPES,
  FLOW_MESSAGE_TYPES,
  FlowConsentType,
  FlowEventType,
  FlowMessageType,
  JsonLogicRule,
  REENTRY_MODES,
  ReentryMode,
  REPLY_KINDS,
  ReplyKind,
  SET_CONSENT_STATES,
  SetConsentState,
  STEP_TYPES,
  StepType,
  SYSTEM_KINDS,
  SystemKind,
} from './flow-definition';
import { isPositiveDuration } from '../time/iso-duration';
import { parseRelativeInstant } from '../time/relative-instant';

const STEP_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

/** Prefixes a step's validation messages with its id, so an error names the step and the field. */
function onStep(text: string): ValidationOptions {
  return {
    message: (args: ValidationArguments) => {
      const id = (args.object as { id?: unknown }).id;
      return `${typeof id === 'string' && id ? `step "${id}": ` : ''}${args.property} ${text}`;
    },
  };
}

function custom(name: string, validate: (value: unknown) => boolean, options: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({ name, target: target.constructor, propertyName: propertyName as string, options, validator: { validate } });
}

/** A positive ISO-8601 duration such as `PT1H` or `P1D`. */
export const IsIsoDuration = (options: ValidationOptions = onStep('must be a positive ISO-8601 duration of at most P2Y, such as PT1H or P1D')) =>
  custom('isIsoDuration', isPositiveDuration, options);

const isType =
  (...types: StepType[]) =>
  (step: { type?: unknown }) =>
    types.includes(step.type as StepType);

export class FlowTriggerDto {
  @ApiProperty({ example: ['checkout.updated'], enum: FLOW_EVENT_TYPES, isArray: true, description: 'Events that start a run; [] = enrolment only' })
  @IsArray()
  @ArrayMaxSize(5)
  @IsIn(FLOW_EVENT_TYPES as unknown as string[], { each: true, message: `each value in events must be one of ${FLOW_EVENT_TYPES.join(', ')}` })
  events: FlowEventType[];

  @ApiPropertyOptional({ example: { '>': [{ var: 'event.totalPrice' }, 20] }, description: 'JSON-Logic over { event, contact, consent }' })
  @IsOptional()
  @IsObject()
  filter?: JsonLogicRule;

  @ApiPropertyOptional({ example: 'checkoutToken', description: "The event's correlation field identifying the run" })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z_][\w]{0,63}$/, { message: 'correlationKey must be a field name such as checkoutToken' })
  correlationKey?: string;

  @ApiPropertyOptional({ example: 'birthday', description: 'contact.date_reached: the contact attribute holding the date' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z_][\w]{0,63}$/, { message: 'dateAttribute must be an attribute name such as birthday' })
  dateAttribute?: string;

  @ApiPropertyOptional({ example: 90, description: 'customer.lapsed: days since the last order' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  lapsedDays?: number;
}

export class FlowReentryDto {
  @ApiProperty({ enum: REENTRY_MODES, example: 'cooldown' })
  @IsIn(REENTRY_MODES as unknown as string[], { message: `mode must be one of ${REENTRY_MODES.join(', ')}` })
  mode: ReentryMode;

  @ApiPropertyOptional({ example: 'P30D', description: 'For mode cooldown: no new run within this time of the last start' })
  @ValidateIf((o: FlowReentryDto) => o.mode === 'cooldown' || o.cooldown !== undefined)
  @IsIsoDuration({ message: 'cooldown must be a positive ISO-8601 duration of at most P2Y, such as P30D (required for mode cooldown)' })
  cooldown?: string;
}

export class FlowExitDto {
  @ApiProperty({ example: 'order.created', enum: FLOW_EVENT_TYPES })
  @IsIn(FLOW_EVENT_TYPES as unknown as string[], { message: `event must be one of ${FLOW_EVENT_TYPES.join(', ')}` })
  event: FlowEventType;

  @ApiPropertyOptional({ example: 'checkoutToken', description: 'Compared with the run; omitted: any such event of the contact' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z_][\w]{0,63}$/, { message: 'correlationKey must be a field name such as checkoutToken' })
  correlationKey?: string;
}

export class ReplyRouteDto {
  @ApiProperty({ enum: REPLY_KINDS, example: 'yes' })
  @IsIn(REPLY_KINDS as unknown as string[], { message: `reply must be one of ${REPLY_KINDS.join(', ')}` })
  reply: ReplyKind;

  @ApiPropertyOptional({ example: 'JOIN' })
  @ValidateIf((o: ReplyRouteDto) => o.reply === 'keyword' || o.keyword !== undefined)
  @IsString({ message: 'keyword is required for reply "keyword"' })
  @Matches(/^\S.{0,39}$/, { message: 'keyword must be 1-40 characters' })
  keyword?: string;

  @ApiProperty({ example: 'confirmed' })
  @IsString()
  @Matches(STEP_ID, { message: 'next must be a step id' })
  next: string;
}

export class SplitArmDto {
  @ApiProperty({ example: 'A' })
  @IsString()
  @Matches(/^[\w -]{1,32}$/, { message: 'name must be 1-32 letters, digits, spaces, - or _' })
  name: string;

  @ApiProperty({ example: 50 })
  @IsInt()
  @Min(1)
  @Max(100)
  percent: number;

  @ApiProperty({ example: 'offer-a' })
  @IsString()
  @Matches(STEP_ID, { message: 'next must be a step id' })
  next: string;
}

/**
 * One step. A single class (not one per type) so the validation pipe can check any step; each
 * type's fields are required only for that type, and fields of another type are refused by the
 * graph checks.
 */
export class FlowStepDto {
  @ApiProperty({ example: 'nudge-1', description: 'Unique within the flow; letters, digits, - and _' })
  @IsString()
  @Matches(STEP_ID, { message: 'id must be 1-64 letters, digits, - or _ (starting with a letter or digit)' })
  id: string;

  @ApiProperty({ enum: STEP_TYPES, example: 'send' })
  @IsIn(STEP_TYPES as unknown as string[], onStep(`must be one of ${STEP_TYPES.join(', ')}`))
  type: StepType;

  @ApiPropertyOptional({ example: 'First nudge' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ example: 'wait-24h', description: 'Following step (default: the next in the list)' })
  @IsOptional()
  @IsStepRef('must be a step id')
  next?: string;

  // send
  @ApiPropertyOptional({ example: '{{ workspace.brandName }}: {{ contact.firstName }}, you left items in your cart: {{ event.checkoutUrl }} Reply STOP to opt out.' })
  @ValidateIf(isType('send'))
  @IsTemplate()
  template?: string;

  @ApiPropertyOptional({ enum: FLOW_MESSAGE_TYPES, example: 'system' })
  @IsOptional()
  @IsIn(FLOW_MESSAGE_TYPES as unknown as string[], onStep(`must be one of ${FLOW_MESSAGE_TYPES.join(', ')}`))
  messageType?: FlowMessageType;

  @ApiPropertyOptional({ enum: SYSTEM_KINDS, example: 'opt_in_request', description: 'For system messages: the rule that lets it through' })
  @IsOptional()
  @IsIn(SYSTEM_KINDS as unknown as string[], onStep(`must be one of ${SYSTEM_KINDS.join(', ')}`))
  systemKind?: SystemKind;

  // wait
  @ApiPropertyOptional({ example: 'PT1H' })
  @ValidateIf((o: FlowStepDto) => o.type === 'wait' && (o.duration !== undefined || o.until === undefined))
  @IsIsoDuration(onStep('must be a positive ISO-8601 duration of at most P2Y, such as PT1H (a wait needs duration or until)'))
  duration?: string;

  @ApiPropertyOptional({ example: 'event.startsAt - PT24H' })
  @ValidateIf((o: FlowStepDto) => o.type === 'wait' && o.until !== undefined)
  @IsRelativeInstant()
  until?: string;

  @ApiPropertyOptional({ example: 'wait-1h', description: 'wait: where to go when `until` is already past' })
  @IsOptional()
  @IsStepRef('must be a step id')
  ifPast?: string;

  // waitForReply
  @ApiPropertyOptional({ example: 'P2D' })
  @ValidateIf(isType('waitForReply'))
  @IsIsoDuration()
  timeout?: string;

  @ApiPropertyOptional({ example: 'no-answer' })
  @ValidateIf(isType('waitForReply'))
  @IsStepRef('is required: the step to go to when no reply comes in time')
  onTimeout?: string;

  @ApiPropertyOptional({ type: [ReplyRouteDto] })
  @ValidateIf(isType('waitForReply'))
  @IsArray(onStep('is required: at least one reply route'))
  @ArrayMinSize(1, onStep('needs at least one reply route'))
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ReplyRouteDto)
  routes?: ReplyRouteDto[];

  // branch
  @ApiPropertyOptional({ example: { '==': [{ var: 'consent.marketing' }, 'opted_in'] } })
  @ValidateIf(isType('branch'))
  @IsObject(onStep('is required: a JSON-Logic rule'))
  condition?: JsonLogicRule;

  @ApiPropertyOptional({ example: 'offer' })
  @ValidateIf(isType('branch'))
  @IsStepRef('is required: the step when the condition holds')
  then?: string;

  @ApiPropertyOptional({ example: 'goodbye' })
  @ValidateIf(isType('branch'))
  @IsStepRef('is required: the step when the condition does not hold')
  else?: string;

  // split
  @ApiPropertyOptional({ type: [SplitArmDto] })
  @ValidateIf(isType('split'))
  @IsArray(onStep('is required: the arms of the split'))
  @ArrayMinSize(2, onStep('needs at least two arms'))
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => SplitArmDto)
  arms?: SplitArmDto[];

  // addToGroup / removeFromGroup
  @ApiPropertyOptional({ example: 'opted_in', description: 'A group id, or opted_in / opted_out / enrolled' })
  @ValidateIf(isType('addToGroup', 'removeFromGroup'))
  @Matches(/^(opted_in|opted_out|enrolled|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, onStep('is required: a group id, opted_in, opted_out or enrolled'))
  group?: string;

  // setConsent
  @ApiPropertyOptional({ enum: SET_CONSENT_STATES, example: 'opted_in' })
  @ValidateIf(isType('setConsent'))
  @IsIn(SET_CONSENT_STATES as unknown as string[], onStep(`must be one of ${SET_CONSENT_STATES.join(', ')}`))
  state?: SetConsentState;

  @ApiPropertyOptional({ example: ['marketing'], enum: CONSENT_TYPES, isArray: true })
  @ValidateIf(isType('setConsent'))
  @IsArray(onStep('is required: the message types'))
  @ArrayMinSize(1, onStep('needs at least one message type'))
  @IsIn(CONSENT_TYPES as unknown as string[], { each: true, ...onStep(`values must be ${CONSENT_TYPES.join(', ')}`) })
  types?: FlowConsentType[];

  // setAttribute
  @ApiPropertyOptional({ example: 'vip' })
  @ValidateIf(isType('setAttribute'))
  @Matches(/^[A-Za-z_][\w]{0,63}$/, onStep('is required: an attribute name such as vipSince'))
  attribute?: string;

  @ApiPropertyOptional({
    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
    nullable: true,
    example: '{{ event.orderId }}',
    description: 'A string is a Liquid template',
  })
  @ValidateIf(isType('setAttribute'))
  @IsAttributeValue()
  value?: string | number | boolean | null;

  // webhook
  @ApiPropertyOptional({ example: 'https://crm.example.com/hooks/optline' })
  @ValidateIf(isType('webhook'))
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, onStep('must be an http(s) URL'))
  url?: string;

  // exit
  @ApiPropertyOptional({ example: 'not interested' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  reason?: string;
}

function IsStepRef(text: string): PropertyDecorator {
  return custom('isStepRef', (value) => typeof value === 'string' && STEP_ID.test(value), onStep(text));
}

function IsTemplate(): PropertyDecorator {
  return custom(
    'isTemplate',
    (value) => typeof value === 'string' && value.trim() !== '' && value.length <= 1600,
    onStep('is required for a send step: a Liquid template of 1 to 1600 characters'),
  );
}

function IsRelativeInstant(): PropertyDecorator {
  return custom('isRelativeInstant', (value) => typeof value === 'string' && parseRelativeInstant(value) !== null, onStep('must look like event.startsAt - PT24H'));
}

function IsAttributeValue(): PropertyDecorator {
  return custom(
    'isAttributeValue',
    (value) => value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.length <= 500),
    onStep('is required: a string (Liquid template, at most 500 characters), number, boolean or null'),
  );
}

/** A whole flow document as the API receives it (JSON) or a template file holds it (YAML). */
export class FlowBriefDto {
  @ApiProperty({ example: 'Recover sales from checkouts left unfinished.' })
  @IsString()
  @IsNotEmpty({ message: 'brief.purpose is required: what the flow is for' })
  @MaxLength(500)
  purpose: string;

  @ApiProperty({ example: 'Shoppers who started a checkout with SMS marketing consent.' })
  @IsString()
  @IsNotEmpty({ message: 'brief.audience is required: who gets it' })
  @MaxLength(500)
  audience: string;

  @ApiProperty({ example: 'Your cart is saved: finish checking out with one link.', description: 'The message in plain words (the Liquid is on the send steps)' })
  @IsString()
  @IsNotEmpty({ message: 'brief.message is required: what the texts say, in plain words' })
  @MaxLength(500)
  message: string;

  @ApiProperty({ example: 'Recovered orders: runs that end on order.created.' })
  @IsString()
  @IsNotEmpty({ message: 'brief.successMetric is required: how you know it works' })
  @MaxLength(500)
  successMetric: string;
}

export class FlowDocumentDto {
  @ApiProperty({ example: 'Abandoned cart' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name: string;

  @ApiPropertyOptional({ example: 'Two nudges after a checkout is left, stops when the order comes in' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @ApiPropertyOptional({ type: FlowBriefDto, description: 'Purpose, audience, message and success metric (seed 003); shown in the console, never read by the runner' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => FlowBriefDto)
  brief?: FlowBriefDto;

  @ApiProperty({ enum: FLOW_MESSAGE_TYPES, example: 'marketing' })
  @IsIn(FLOW_MESSAGE_TYPES as unknown as string[], { message: `messageType must be one of ${FLOW_MESSAGE_TYPES.join(', ')}` })
  messageType: FlowMessageType;

  @ApiProperty({ type: FlowTriggerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => FlowTriggerDto)
  trigger: FlowTriggerDto;

  @ApiProperty({ type: FlowReentryDto })
  @IsObject()
  @ValidateNested()
  @Type(() => FlowReentryDto)
  reentry: FlowReentryDto;

  @ApiPropertyOptional({ type: [FlowExitDto], example: [{ event: 'order.created', correlationKey: 'checkoutToken' }] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => FlowExitDto)
  exits?: FlowExitDto[];

  @ApiProperty({ type: [FlowStepDto] })
  @IsArray()
  @ArrayMinSize(1, { message: 'steps needs at least one step' })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => FlowStepDto)
  steps: FlowStepDto[];
}
