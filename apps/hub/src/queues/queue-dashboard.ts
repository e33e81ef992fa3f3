import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, JobQueue, readCookie, SESSION_COOKIE, SessionService } from '@optline/core';
import type { NextFunction, Request, Response } from 'express';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function page(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#1b2230}</style></head>
<body><h1>${title}</h1><p>${text}</p></body></html>`;
}

/**
 * Admits a signed-in admin of the console (the session cookie, decision 0171) and no one else.
 * The dashboard's own buttons (retry, promote, clean) cannot send our CSRF header, so a change
 * must come from the hub's own origin instead: browsers send `Origin` with every non-GET fetch,
 * and a page on another site cannot forge it (decision 0234).
 */
export function adminSessionGate(sessions: SessionService, config: AppConfig) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const token = readCookie(req, SESSION_COOKIE);
      const resolved = token ? await sessions.resolve(token) : null;
      if (!resolved) {
        res.status(401).type('html').send(page('Sign in first', `The queue dashboard is for the hub's admins. <a href="/sign-in">Sign in to the console</a> as an admin, then open ${QUEUE_DASHBOARD_PATH} again.`));
        return;
      }
      if (resolved.user.role !== 'admin') {
        res.status(403).type('html').send(page('Admins only', `You are signed in as ${resolved.user.role}; the queue dashboard is for admins.`));
        return;
      }
      if (!SAFE_METHODS.has(req.method) && !sameOrigin(req, config)) {
        res.status(403).json({ code: 'cross_origin_refused', message: 'Changes to queues are accepted only from the hub’s own pages', details: [] });
        return;
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

function sameOrigin(req: Request, config: AppConfig): boolean {
  const origin = req.get('origin');
  if (!origin) return req.get('sec-fetch-site') === 'same-origin';
  const here = `${req.protocol}://${req.get('host')}`;
  return origin === here || origin === config.publicUrl;
}

/**
 * Bull Board at /admin/queues for every queue of the hub (API processes only). Jobs hold ids
 * only and Postgres holds the work (law 3), so an admin who removes or cleans jobs loses no work:
 * the reconcilers re-arm it. QUEUE_DASHBOARD=off leaves it out (docs/operations.md).
 */
export function mountQueueDashboard(app: NestExpressApplication, config: AppConfig): void {
  if (config.QUEUE_DASHBOARD === 'off' || !config.runsApi) return;
  const serverAdapter = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: app.get(JobQueue).all().map((queue) => new BullAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Optline queues' } },
  });
  app.use(QUEUE_DASHBOARD_PATH, adminSessionGate(app.get(SessionService), config), serverAdapter.getRouter());
}
