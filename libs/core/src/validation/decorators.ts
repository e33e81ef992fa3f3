import { registerDecorator, ValidationOptions } from 'class-validator';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { isIanaZone } from './time-zones';

/** An IANA time zone such as "America/Chicago". */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an IANA time zone such as America/Chicago', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isIanaZone(value) },
    });
}

/** A phone number already in E.164 form ("+14155550100"). */
export function IsE164Phone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isE164Phone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a phone number in E.164 form, e.g. +14155550100', ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^\+[1-9]\d{6,14}$/.test(value) && isValidPhoneNumber(value),
      },
    });
}

/** A local time of day, "HH:MM" on a 24-hour clock. */
export function IsTimeOfDay(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTimeOfDay',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a time of day as HH:MM (24 h)', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(value) },
    });
}
