import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIP, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';

/** Who submitted, as a site's server saw it (only trusted on signed server-to-server calls). */
export class SubmissionVisitorDto {
  @ApiPropertyOptional({ example: '203.0.113.7' })
  @IsOptional()
  @IsIP()
  ip?: string;

  @ApiPropertyOptional({ example: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  userAgent?: string;
}

/** A form submission (JSON endpoint; the hosted page's fields are read into the same shape). */
export class SubmissionDto {
  @ApiProperty({ example: '(415) 555-0123', description: 'Any format; read with the workspace country' })
  @IsString({ message: 'phone is required' })
  @MaxLength(40)
  phone: string;

  @ApiPropertyOptional({ example: true, description: 'Whether the person ticked the consent checkbox (never pre-ticked)' })
  @IsOptional()
  @IsBoolean()
  consent?: boolean;

  @ApiPropertyOptional({ example: { firstName: 'Ada', email: 'ada@example.com' }, description: 'The form’s other fields by name' })
  @IsOptional()
  @IsObject()
  fields?: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'https://acme.test/sms', description: 'The page the person was on' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  pageUrl?: string;

  @ApiPropertyOptional({ example: 'f3b1c2d4e5f60718', description: 'Makes a retried submission a no-op' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{8,64}$/, { message: 'submissionId must be 8 to 64 letters, digits, _ or -' })
  submissionId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The disclosure version the page showed (the hosted page sends it)' })
  @IsOptional()
  @IsUUID()
  disclosureId?: string;

  @ApiPropertyOptional({ example: '', description: 'Honeypot: leave empty. A filled one is answered like a success and dropped.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  website?: string;

  @ApiPropertyOptional({ type: SubmissionVisitorDto, description: 'Signed server-to-server calls only: the visitor’s IP and user agent' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SubmissionVisitorDto)
  visitor?: SubmissionVisitorDto;
}

export class FormIdParamDto {
  @ApiProperty({ example: 'newsletter-5b0f8c1e-7a4e-4c55-9a62-0c7a2f3c9d11', description: 'The form key and its installation id' })
  @IsString()
  @MaxLength(80)
  formId: string;
}
