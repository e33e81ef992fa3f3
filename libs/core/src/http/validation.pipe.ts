import { ValidationPipe } from '@nestjs/common';
import { ValidationFailedError } from '../errors/domain-error';
import { flattenValidationErrors } from '../validation/validate-object';

/** The global pipe: unknown fields refused, payloads transformed, errors name their fields. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailedError(flattenValidationErrors(errors), 'invalid'),
  });
}
