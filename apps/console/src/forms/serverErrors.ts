import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError, errorMessage } from '../api/errors';

/**
 * Puts the hub's validation errors back on their fields (`details[].field`, e.g. `password`),
 * and returns the message for whatever is left (shown above the form).
 */
export function applyServerErrors<T extends FieldValues>(error: unknown, setError: UseFormSetError<T>, fields: readonly string[], map: Record<string, string> = {}): string | null {
  if (!(error instanceof ApiError)) return errorMessage(error);
  let placed = false;
  for (const detail of error.details) {
    const name = detail.field ? (map[detail.field] ?? detail.field) : undefined;
    if (name && fields.includes(name)) {
      setError(name as Path<T>, { type: 'server', message: detail.message ?? error.message });
      placed = true;
    }
  }
  return placed ? null : errorMessage(error);
}
