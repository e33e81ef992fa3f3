import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import type { SmsOutcome } from './sms-outcome';

export class FormLinksResponseDto {
  @ApiProperty({ description: 'Public form id: the key and the installation', example: 'newsletter-5b0f8c1e-7a4e-4c55-9a62-0c7a2f3c9d11' })
  formId!: string;

  @ApiProperty({ example: 'newsletter' })
  key!: string;

  @ApiProperty({ example: 'Get our texts' })
  title!: string;

  @ApiProperty({ format: 'uri', description: 'The hosted page' })
  pageUrl!: string;

  @ApiProperty({ description: 'Paste into a page to embed the form', example: '<script src="https://sms.acme.test/f/newsletter-5b0f…/embed.js" async></script>' })
  embedSnippet!: string;

  @ApiProperty({ format: 'uri', description: 'POST submissions here as JSON' })
  submissionsUrl!: string;
}

export class FormSubmissionResponseDto {
  @ApiProperty({ enum: ['accepted'] })
  status!: 'accepted';

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The stored form.submitted event' })
  eventId!: string | null;

  @ApiProperty({ description: 'The same submission came before (stored once)' })
  duplicate!: boolean;

  @ApiProperty({ description: 'The consent box was ticked: a pending opt-in was recorded' })
  consentRequested!: boolean;

  @ApiProperty({ enum: ['text_sent', 'no_consent', 'already_opted_in', 'awaiting_reply', 'opted_out', 'texts_off'], description: 'What happened about texting' })
  sms!: SmsOutcome;

  @ApiProperty({ description: 'The text to show the visitor', example: 'Thanks! Reply YES to confirm.' })
  message!: string;
}

/** An HTML page as the answer of a public page route (success or error pages alike). */
export function ApiHtmlPage(status: number, description: string): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiResponse({ status, description, content: { 'text/html': { schema: { type: 'string' } } } }));
}
