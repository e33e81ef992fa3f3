import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One failing part of a request: the field when there is one, and what is wrong with it. */
export class ErrorDetailDto {
  @ApiPropertyOptional({ description: 'Dotted path of the failing field', example: 'steps[2].template' })
  field?: string;

  @ApiProperty({ example: 'must be a phone number in E.164 format' })
  message!: string;
}

/**
 * The body of every error answer (DomainExceptionFilter's `ErrorBody`): a stable code, a sentence
 * for people, the failing fields, and the request id to quote when asking for help.
 */
export class ErrorResponseDto {
  @ApiProperty({ description: 'Stable machine-readable code', example: 'validation_failed' })
  code!: string;

  @ApiProperty({ example: 'phone: must be a phone number in E.164 format' })
  message!: string;

  @ApiProperty({
    type: ErrorDetailDto,
    isArray: true,
    description: 'One entry per failing field (empty when the error is not about a field); entries may carry more keys',
  })
  details!: ErrorDetailDto[];

  @ApiPropertyOptional({ description: 'The X-Request-Id of the request (generated when not sent)', example: 'req-7f3a9c' })
  requestId?: string;
}
