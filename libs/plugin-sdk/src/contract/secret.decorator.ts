import 'reflect-metadata';

const SECRET_FIELDS = 'optline:plugin-secret-fields';

/**
 * Marks a config field as a secret (API token, signing secret). Secret fields are sealed with
 * the hub's SecretBox at rest, never returned by the API (answers show them masked), and kept
 * when an update leaves them out or sends the mask back. Top-level fields only.
 */
export function Secret(): PropertyDecorator {
  return (target, propertyKey) => {
    const existing: string[] = Reflect.getMetadata(SECRET_FIELDS, target.constructor) ?? [];
    Reflect.defineMetadata(SECRET_FIELDS, [...existing, String(propertyKey)], target.constructor);
  };
}

/** The names of the fields marked `@Secret()` on a config class (and its parents). */
export function secretFieldsOf(configClass: abstract new () => object): string[] {
  return [...new Set<string>(Reflect.getMetadata(SECRET_FIELDS, configClass) ?? [])];
}
