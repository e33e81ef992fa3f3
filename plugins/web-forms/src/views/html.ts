import type { Response } from 'express';
import { randomBytes } from 'node:crypto';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Escapes text, then turns http(s) URLs in it into links (terms and privacy in a disclosure). */
export function escWithLinks(text: string): string {
  return esc(text).replace(/https?:\/\/[^\s<]+[^\s<.,;:)]/g, (url) => `<a href="${url}" target="_blank" rel="noopener">${url}</a>`);
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1a1a1a;--bg:#fff;--muted:#555;--accent:#0a58ca;--error:#b00020;--border:#8a8a8a}
@media (prefers-color-scheme:dark){:root{--fg:#f2f2f2;--bg:#151515;--muted:#c2c2c2;--accent:#8ab4ff;--error:#ff8a80;--border:#9a9a9a}}
*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:32rem;margin:0 auto;padding:1.5rem 1rem 2rem}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 .5rem}
p{margin:.5rem 0}
.field{margin:1rem 0}
label{display:block;font-weight:600;margin-bottom:.25rem}
input[type=text],input[type=tel],input[type=email],input[type=date]{width:100%;min-height:44px;padding:.5rem .75rem;font-size:1rem;border:1px solid var(--border);border-radius:6px;background:var(--bg);color:var(--fg)}
input:focus,button:focus,a:focus{outline:3px solid var(--accent);outline-offset:2px}
input[aria-invalid=true]{border-color:var(--error);border-width:2px}
.error{color:var(--error);font-weight:600;margin:.25rem 0 0}
.hint{color:var(--muted);font-size:.9rem}
fieldset{border:0;padding:0;margin:1.25rem 0}
legend{font-weight:600;padding:0;margin-bottom:.5rem}
.check{display:flex;gap:.75rem;align-items:flex-start;margin:.5rem 0}
.check input{width:1.5rem;height:1.5rem;margin:.125rem 0 0;flex:none}
.check label{font-weight:400;margin:0}
.disclosure{font-size:.875rem;color:var(--muted)}
a{color:var(--accent)}
button{min-height:44px;width:100%;padding:.625rem 1rem;font-size:1.0625rem;font-weight:600;border:0;border-radius:6px;background:var(--accent);color:#fff;cursor:pointer}
button.secondary{background:transparent;color:var(--accent);border:2px solid var(--accent);margin-top:.75rem}
.summary{border:2px solid var(--error);border-radius:6px;padding:.75rem 1rem;margin:1rem 0}
.summary h2{font-size:1.0625rem;margin:0 0 .25rem}
.summary ul{margin:0;padding-left:1.25rem}
.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

export interface PageOptions {
  title: string;
  body: string;
  nonce: string;
  /** Inside an iframe on the business's site: report the height to the parent page. */
  embed?: boolean;
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function layout(options: PageOptions): string {
  const resize = options.embed
    ? `<script nonce="${options.nonce}">(function(){function h(){parent.postMessage({optlineFormHeight:document.documentElement.scrollHeight},'*')}addEventListener('load',h);addEventListener('resize',h);h()})();</script>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(options.title)}</title>
<style nonce="${options.nonce}">${STYLE}</style>
</head>
<body>
<main>
${options.body}
</main>
${resize}
</body>
</html>`;
}

/**
 * Sends an HTML page with a strict policy: only our inline style and script (by nonce), forms
 * post to the hub only, and framing only by the origins the form allows (helmet's blanket
 * X-Frame-Options is replaced by frame-ancestors so the embed works).
 */
export function sendPage(res: Response, status: number, html: string, nonce: string, frameAncestors: string[] = []): void {
  res.removeHeader('X-Frame-Options');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'self'${frameAncestors.map((o) => ` ${o}`).join('')}`,
  );
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  res.status(status).type('html').send(html);
}
