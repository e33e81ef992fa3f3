import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONSENT_MESSAGE_TYPES, Secret } from '@optline/plugin-sdk';
import type { ConsentMessageType } from '@optline/plugin-sdk';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotIn,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  registerDecorator,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { missingDisclosureElements } from './forms/disclosure-text';

export const FORM_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** Names of the optional standard fields; any other name is a custom field kept as a contact attribute. */
export const STANDARD_FIELDS = ['firstName', 'lastName', 'email'] as const;
/** Names the form itself posts; a configured field may not take them. */
export const RESERVED_FIELD_NAMES = ['phone', 'website', 'consent', 'submissionId', 'pageUrl', 'disclosureId', 'fields', 'visitor', 'embed'];

function UniqueFormKeys(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'uniqueFormKeys',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'each form needs its own key', ...options },
      validator: {
        validate: (forms: unknown) =>
          !Array.isArray(forms) || new Set(forms.map((f: { key?: unknown }) => f?.key)).size === forms.length,
      },
    });
}

/** A custom disclosure must still carry the elements carriers require (CTIA). */
function CompleteDisclosure(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'completeDisclosure',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args) => `disclosureText lacks: ${missingDisclosureElements(String(args.value)).join(', ')}`,
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value !== 'string' || missingDisclosureElements(value).length === 0 },
    });
}

export class FormFieldConfig {
  @ApiProperty({ example: 'firstName', description: 'firstName, lastName, email, or a custom name (kept as a contact attribute)' })
  @Matches(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, { message: 'name must start with a letter and hold letters, digits or _' })
  @IsNotIn(RESERVED_FIELD_NAMES, { message: `name must not be one of ${RESERVED_FIELD_NAMES.join(', ')} (the form uses them itself)` })
  name: string;

  @ApiProperty({ example: 'First name' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  label: string;

  @ApiPropertyOptional({ enum: ['text', 'email', 'date'], example: 'text' })
  @IsOptional()
  @IsIn(['text', 'email', 'date'])
  type?: 'text' | 'email' | 'date';

  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @IsBoolean()
  required?: boolean;
}

export class FormRateLimitsConfig {
  @ApiPropertyOptional({ example: 20, description: 'Submissions per IP address per hour' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  perIpPerHour?: number;

  @ApiPropertyOptional({ example: 3, description: 'Submissions per phone number per hour' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000)
  perPhonePerHour?: number;
}

export class FormConfig {
  @ApiProperty({ example: 'newsletter', description: 'Part of the public form id; lower-case letters, digits and dashes' })
  @Matches(FORM_KEY_PATTERN, { message: 'key must be lower-case letters, digits and dashes (at most 40)' })
  key: string;

  @ApiProperty({ example: 'Get our texts' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  title: string;

  @ApiPropertyOptional({ example: 'Order updates and members-only offers, straight to your phone.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  intro?: string;

  @ApiPropertyOptional({ example: 'Mobile phone' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  phoneLabel?: string;

  @ApiProperty({ type: [FormFieldConfig], description: 'Fields besides the phone (always present and required)' })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => FormFieldConfig)
  fields: FormFieldConfig[];

  @ApiProperty({ enum: CONSENT_MESSAGE_TYPES, isArray: true, example: ['marketing'], description: 'The message types the checkbox asks consent for' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(CONSENT_MESSAGE_TYPES, { each: true })
  consentTypes: ConsentMessageType[];

  @ApiPropertyOptional({ example: 'Msg frequency varies', description: 'How often texts come, shown in the disclosure' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  frequency?: string;

  @ApiProperty({ example: 'https://acme.test/sms-terms' })
  @IsUrl({ require_protocol: true, protocols: ['https', 'http'] })
  termsUrl: string;

  @ApiProperty({ example: 'https://acme.test/privacy' })
  @IsUrl({ require_protocol: true, protocols: ['https', 'http'] })
  privacyUrl: string;

  @ApiPropertyOptional({
    description:
      'Replaces the generated disclosure. It must still say which messages and how often, "Msg & data rates may apply", and "Reply STOP to cancel, HELP for help".',
    example: 'Acme Alerts: recurring order & promo texts. Msg frequency varies. Msg & data rates may apply. Reply STOP to cancel, HELP for help.',
  })
  @IsOptional()
  @IsString()
  @MinLength(40)
  @MaxLength(1000)
  @CompleteDisclosure()
  disclosureText?: string;

  @ApiProperty({ example: 'Thanks! Reply YES to the text we just sent to confirm.' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  successText: string;

  @ApiPropertyOptional({ example: 'Sign up' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  submitLabel?: string;

  @ApiProperty({ example: ['https://acme.test'], description: 'Sites allowed to embed the form and to call the JSON endpoint from a browser (CORS)' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl({ require_protocol: true, require_tld: false, protocols: ['https', 'http'] }, { each: true })
  @Matches(/^https?:\/\/[^/]+$/, { each: true, message: 'each allowed origin is a scheme and host without a path, e.g. https://acme.test' })
  allowedOrigins: string[];

  @ApiPropertyOptional({ type: FormRateLimitsConfig })
  @IsOptional()
  @ValidateNested()
  @Type(() => FormRateLimitsConfig)
  rateLimits?: FormRateLimitsConfig;
}

export class WebFormsConfig {
  @ApiProperty({ type: [FormConfig] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @UniqueFormKeys()
  @ValidateNested({ each: true })
  @Type(() => FormConfig)
  forms: FormConfig[];

  @ApiPropertyOptional({
    example: 'whsec_5f2b…',
    description: 'Server-to-server submissions without an Origin header must be signed with this (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature); browsers are checked by origin instead',
  })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  @Secret()
  signingSecret?: string;
}
