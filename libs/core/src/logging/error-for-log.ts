import { maskForLog } from './mask';

/**
 * An unexpected error as a log line may hold it. A database error's bound `parameters` are the
 * request's data (phone numbers, emails, message bodies) and are never written; its message,
 * `detail` (`Key (phone)=(+1…) already exists`) and stack pass through the masking of
 * `maskForLog`. The SQL text stays: it names the statement, not the person.
 */
export function errorForLog(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error, message: maskForLog(String(error)) };
  const fields = error as Error & { code?: unknown; query?: unknown; driverError?: { code?: unknown; detail?: unknown; constraint?: unknown; table?: unknown } };
  const out: Record<string, unknown> = { type: error.name, message: maskForLog(error.message) };
  if (typeof fields.code === 'string' || typeof fields.code === 'number') out.code = fields.code;
  if (typeof fields.query === 'string') out.query = fields.query;
  const driver = fields.driverError;
  if (driver && typeof driver === 'object') {
    out.driverError = {
      code: driver.code,
      detail: typeof driver.detail === 'string' ? maskForLog(driver.detail) : undefined,
      constraint: driver.constraint,
      table: driver.table,
    };
  }
  if (error.stack) out.stack = maskForLog(error.stack);
  return out;
}
