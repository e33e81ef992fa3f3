import type { NextFunction, Request, Response } from 'express';

/** Where the parse error of an unparsable webhook body waits for the ingress (see below). */
export const BODY_ERROR = Symbol('optline.bodyError');

type HookRequest = Request & { rawBody?: Buffer; [BODY_ERROR]?: string };

/**
 * Express error middleware for `/hooks/*` (plugin webhooks), mounted right after the body
 * parsers: a JSON body that does not parse reaches the ingress anyway, with its raw bytes (kept
 * by the parser's `verify`, which runs before the parse) and the parse error, so the signature is
 * still checked and a signed delivery is kept as a failed event instead of vanishing in a 400
 * (decision 0164). Every other parser error, and the provider SMS hooks, go on as before.
 */
export function keepUnparsableHookBodies(error: unknown, req: Request, _res: Response, next: NextFunction): void {
  const request = req as HookRequest;
  const parseFailed = (error as { type?: string } | null)?.type === 'entity.parse.failed';
  if (!parseFailed || !request.rawBody || request.originalUrl.startsWith('/hooks/sms')) return next(error);
  request.body = undefined;
  request[BODY_ERROR] = (error as Error).message;
  next();
}

/** The parse error `keepUnparsableHookBodies` left on the request, if any. */
export function bodyErrorOf(req: Request): string | undefined {
  return (req as HookRequest)[BODY_ERROR];
}
