import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * Limits on a contact's free-form attributes. They are merged into one jsonb column read by
 * segments, flows and templates; without a cap a single request stored 20,000 of them
 * (docs/contacts.md, docs/decisions/0152).
 */
export const CONTACT_ATTRIBUTE_LIMITS = { maxCount: 100, maxKeyLength: 64, maxValueLength: 1000 } as const;

/** What is wrong with these attributes (as the message of the `attributes` field), or null. */
export function contactAttributesProblem(attributes: Record<string, unknown>): string | null {
  const { maxCount, maxKeyLength, maxValueLength } = CONTACT_ATTRIBUTE_LIMITS;
  const keys = Object.keys(attributes);
  if (keys.length > maxCount) return `attributes may hold at most ${maxCount} keys (got ${keys.length})`;
  for (const key of keys) {
    if (key.length === 0 || key.length > maxKeyLength) return `attributes keys must be 1–${maxKeyLength} characters ("${key.slice(0, 20)}…" is ${key.length})`;
    const value = attributes[key];
    const size = typeof value === 'string' ? value.length : JSON.stringify(value ?? null).length;
    if (size > maxValueLength) return `attributes.${key} must be at most ${maxValueLength} characters (as JSON)`;
  }
  return null;
}

/** A plain object of attributes within CONTACT_ATTRIBUTE_LIMITS; the message says which limit. */
export function IsContactAttributes(options?: ValidationOptions): PropertyDecorator {
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  return (target, propertyName) =>
    registerDecorator({
      name: 'isContactAttributes',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: (args: ValidationArguments) => (isObject(args.value) && contactAttributesProblem(args.value)) || `${args.property} must be an object`, ...options },
      validator: { validate: (value: unknown) => isObject(value) && contactAttributesProblem(value) === null },
    });
}
