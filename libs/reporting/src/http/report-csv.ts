import { stringify } from 'csv-stringify/sync';
import type { Request, Response } from 'express';

/** Whether the caller asked for CSV: `?format=csv` or an Accept header preferring text/csv. */
export function wantsCsv(req: Request, format: string | undefined): boolean {
  if (format) return format === 'csv';
  const accept = req.headers.accept ?? '';
  return /text\/csv/i.test(accept) && !/application\/json/i.test(accept.split('text/csv')[0] ?? '');
}

/** Writes rows as CSV (header from the first row's keys, or `columns`). */
export function sendCsv(res: Response, name: string, rows: object[], columns?: string[]): void {
  const header = columns ?? (rows[0] ? Object.keys(rows[0]) : []);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
  res.status(200).send(stringify(rows as Record<string, unknown>[], { header: true, columns: header, cast: { date: (d) => d.toISOString() } }));
}
