import { registerDecorator, ValidationOptions } from 'class-validator';

/** The fields of a Google service-account JSON key that signing in needs. */
export interface ServiceAccountKey {
  type: 'service_account';
  client_email: string;
  private_key: string;
  token_uri?: string;
}

/** Reads a service-account JSON key, or null when it is not one (wrong JSON, an OAuth client file, a missing key). */
export function parseServiceAccountKey(value: unknown): ServiceAccountKey | null {
  if (typeof value !== 'string' || value.length > 16_384) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const key = parsed as Record<string, unknown>;
  if (key.type !== 'service_account') return null;
  if (typeof key.client_email !== 'string' || !key.client_email.includes('@')) return null;
  if (typeof key.private_key !== 'string' || !key.private_key.includes('PRIVATE KEY')) return null;
  return key as unknown as ServiceAccountKey;
}

/** A service account's JSON key file (type, client_email and private_key present). */
export function IsServiceAccountKey(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isServiceAccountKey',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: '$property must be the JSON key file of a service account (with "type": "service_account", client_email and private_key)',
        ...options,
      },
      validator: { validate: (value: unknown) => parseServiceAccountKey(value) !== null },
    });
}
