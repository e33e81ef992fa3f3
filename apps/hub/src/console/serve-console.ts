import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Client routes of the console (apps/console/src/app/routes.tsx). Only these answer the SPA's
 * index.html; every other path keeps its meaning (/v1 and its JSON 404, /hooks, /f, /p, /l,
 * /docs, /health, /metrics) or is Nest's 404.
 */
export const CONSOLE_ROUTES = ['/setup', '/sign-in', '/invite', '/reset-password', '/inbox', '/contacts', '/messages', '/flows', '/plugins', '/imports', '/groups', '/suppression', '/reports', '/settings', '/campaigns', '/segments'];

export function isConsoleRoute(path: string): boolean {
  return path === '/' || path === '/index.html' || CONSOLE_ROUTES.some((root) => path === root || path.startsWith(`${root}/`));
}

/** apps/console/dist, whether the hub runs from source (tests) or from dist/ (npm start). */
export function defaultConsoleDir(): string {
  const candidates = [resolve(__dirname, '../../../console/dist'), resolve(__dirname, '../../../../../apps/console/dist')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0];
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Optline console not built</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#1b2230}code{background:#eef1f6;padding:2px 6px;border-radius:4px}</style></head>
<body><h1>The console is not built yet</h1>
<p>The hub is running: its API is at <a href="/docs">/docs</a>. To use the console in your browser, build it once:</p>
<p><code>npm run build</code></p>
<p>then reload this page (no restart needed). <code>npm start</code> builds it for you when the sources changed.</p></body></html>`;

/**
 * Serves the built console at `/`: hashed assets under /assets (cached for good), index.html for
 * client routes (never cached, so a new build shows at once), and a page that says how to build
 * the console when it is missing. The folder is looked at per request, so building while the hub
 * runs is enough.
 */
export function serveConsole(app: NestExpressApplication, dir: string = defaultConsoleDir()): void {
  const index = join(dir, 'index.html');
  app.use('/assets', express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !isConsoleRoute(req.path)) return next();
    if (!existsSync(index)) {
      res.status(503).type('html').send(NOT_BUILT);
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
