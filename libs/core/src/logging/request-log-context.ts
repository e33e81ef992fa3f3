import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
// nestjs-pino keeps the request's logger here for PinoLogger (and so for every Nest `Logger`).
import { storage } from 'nestjs-pino/storage';
import type { Logger } from 'pino';
import { maskForLog } from './mask';

/** `X-Request-Id` when it is a plausible id, else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
}

/** The bindings every line written during a request carries (the same as pino-http's `req` serializer writes). */
export function requestBindings(req: IncomingMessage & { id: string }): { req: { id: string; method?: string; url: string } } {
  return { req: { id: req.id, method: req.method, url: maskForLog(req.url ?? '') } };
}

/**
 * What a request line adds once the answer is known: the workspace and who acted (set by the
 * access guard) and the error code answered (set by the exception filter), so a line can be found
 * by workspace, key or person and a 4xx explains itself.
 */
export function requestLineFields(req: IncomingMessage, res: ServerResponse): { workspaceId?: string; actor?: string; errorCode?: string } {
  const auth = (req as { auth?: { workspaceId?: string; actor?: string } }).auth;
  const errorCode = (res as { locals?: { errorCode?: unknown } }).locals?.errorCode;
  const fields: { workspaceId?: string; actor?: string; errorCode?: string } = {};
  if (auth?.workspaceId) fields.workspaceId = auth.workspaceId;
  if (auth?.actor) fields.actor = auth.actor;
  if (typeof errorCode === 'string') fields.errorCode = errorCode;
  return fields;
}

/**
 * The request context when no line is written per request (LOG_LEVEL above info): the request
 * gets its id, and lines logged while it runs still carry it, but the child logger carrying it is
 * built only when one is written. pino-http builds it (and runs its serializers and redaction,
 * and listens for the response's end) for every request, which cost ~6 % of the hub's CPU under
 * webhook load for lines that were never written (docs/decisions/0072).
 */
export function lazyRequestContext(
  root: Logger,
  props: Record<string, string>,
): (req: IncomingMessage & { id?: string }, res: ServerResponse, next: () => void) => void {
  return (req, _res, next) => {
    const withId = req as IncomingMessage & { id: string };
    withId.id = req.id ?? requestIdOf(req);
    let child: Logger | undefined;
    const store = {
      get logger(): Logger {
        return (child ??= root.child({ ...requestBindings(withId), ...props }));
      },
      // PinoLogger.assign replaces the request's logger with a child of it.
      set logger(logger: Logger) {
        child = logger;
      },
      responseLogger: undefined,
    };
    storage.run(store, next);
  };
}
