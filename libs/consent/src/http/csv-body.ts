import { DomainError } from '@optline/core';
import type { Request } from 'express';

const CSV_TYPES = ['text/csv', 'text/plain', 'application/csv', 'application/octet-stream'];

/**
 * Files are sent as the raw request body. A JSON or form body has already been consumed by a
 * body parser, so it is refused with a clear answer rather than read as an empty file.
 */
export function assertCsvBody(req: Request): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!CSV_TYPES.includes(type)) {
    throw new DomainError('invalid', 'csv_body_required', `Send the CSV file as the request body with Content-Type: text/csv (got "${type || 'none'}")`, [
      { field: 'body', message: 'must be a CSV file (text/csv)' },
    ]);
  }
}
