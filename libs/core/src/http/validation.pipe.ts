import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { ValidationFailedError } from '../errors/domain-error';
import { refuseNulCharacters } from '../validation/nul-characters';
import { flattenValidationErrors } from '../validation/validate-object';

/**
 * Refuses a NUL character anywhere in a query string or path parameter, and in a body a DTO
 * validates (a body the handler reads itself, such as a webhook checked against its signature
 * first, is refused by that handler's `validateObject`): 422 naming the field (decision 0073).
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'query' || metadata.type === 'param' || (metadata.type === 'body' && this.toValidate(metadata))) {
      refuseNulCharacters(value, metadata.data ?? '');
    }
    return super.transform(value, metadata);
  }
}

/** The global pipe: unknown fields refused, payloads transformed, errors name their fields. */
export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailedError(flattenValidationErrors(errors), 'invalid'),
  });
}
