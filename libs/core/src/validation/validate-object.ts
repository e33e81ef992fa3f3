import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { ErrorDetail, ValidationFailedError } from '../errors/domain-error';
import { refuseNulCharacters } from './nul-characters';

/** Flattens class-validator's tree into `{ field: 'a.b[0].c', message }` entries. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const error of errors) {
    const isIndex = /^\d+$/.test(error.property);
    const field = parent ? (isIndex ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    for (const message of Object.values(error.constraints ?? {})) out.push({ field, message });
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/**
 * Validates a plain object against a DTO class outside HTTP (job payloads, plugin configs,
 * flow documents) with the same rules as the global ValidationPipe.
 */
export function validateObject<T extends object>(
  cls: new () => T,
  value: unknown,
  options: { kind?: 'invalid' | 'unprocessable'; fieldPrefix?: string; allowUnknownFields?: boolean } = {},
): T {
  // A NUL can never be stored: refused first, naming the field (decision 0073).
  refuseNulCharacters(value, options.fieldPrefix ?? '');
  const instance = plainToInstance(cls, value ?? {});
  // allowUnknownFields: a vendor's form (Twilio) carries fields we do not read; they are dropped, not refused.
  const errors = validateSync(instance as object, { whitelist: true, forbidNonWhitelisted: options.allowUnknownFields !== true });
  if (errors.length > 0) {
    const details = flattenValidationErrors(errors, options.fieldPrefix ?? '');
    throw new ValidationFailedError(details, options.kind ?? 'unprocessable');
  }
  return instance;
}
