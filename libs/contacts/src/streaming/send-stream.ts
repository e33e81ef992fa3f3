import type { Response } from 'express';
import { pipeline, Readable } from 'node:stream';

/**
 * Sends a stream as the response body. Through `pipeline`, so a client that hangs up destroys
 * the source (and whatever database cursor feeds it) instead of leaving it paused forever.
 */
export function sendStream(res: Response, body: Readable, contentType: string, fileName?: string): void {
  res.status(200);
  res.setHeader('Content-Type', contentType);
  if (fileName) res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  pipeline(body, res, () => undefined);
}
