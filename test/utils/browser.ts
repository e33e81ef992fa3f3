import type { Response } from 'supertest';
import type { TestHub } from './test-hub';

export interface SetCookie {
  name: string;
  value: string;
  attributes: string[];
  raw: string;
}

export function parseSetCookies(res: Response): SetCookie[] {
  const header = res.headers['set-cookie'] as unknown as string[] | string | undefined;
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return lines.map((raw) => {
    const [pair, ...attributes] = raw.split(';').map((part) => part.trim());
    const at = pair.indexOf('=');
    return { name: pair.slice(0, at), value: decodeURIComponent(pair.slice(at + 1)), attributes, raw };
  });
}

/**
 * What a browser does with the hub's cookies: keeps them, sends them back, drops cleared ones.
 * `send` adds X-CSRF-Token from the optline_csrf cookie to changes, as the console does, unless told not to.
 */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly hub: TestHub) {}

  get csrf(): string | undefined {
    return this.cookies.get('optline_csrf');
  }

  absorb(res: Response): Response {
    for (const cookie of parseSetCookies(res)) {
      const expired = cookie.value === '' || cookie.attributes.some((a) => /^expires=thu, 01 jan 1970/i.test(a) || /^max-age=0$/i.test(a));
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return res;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
  }

  async send(method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: unknown, options: { csrf?: string | false; headers?: Record<string, string> } = {}): Promise<Response> {
    let req = this.hub.http()[method](path);
    for (const [name, value] of Object.entries(options.headers ?? {})) req = req.set(name, value);
    if (this.cookies.size > 0) req = req.set('Cookie', this.cookieHeader());
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (method !== 'get' && csrf) req = req.set('X-CSRF-Token', csrf);
    if (body !== undefined) req = req.send(body as object);
    return this.absorb(await req);
  }

  get(path: string) {
    return this.send('get', path);
  }

  post(path: string, body?: unknown, options?: { csrf?: string | false }) {
    return this.send('post', path, body ?? {}, options);
  }

  patch(path: string, body?: unknown, options?: { csrf?: string | false }) {
    return this.send('patch', path, body ?? {}, options);
  }

  delete(path: string, options?: { csrf?: string | false }) {
    return this.send('delete', path, undefined, options);
  }

  /** Signs in with email and password; fails unless the answer has `status`. */
  async signIn(email: string, password: string, status = 200): Promise<Response> {
    const res = await this.post('/v1/auth/login', { email, password }, { csrf: false });
    if (res.status !== status) throw new Error(`sign-in as ${email}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  }
}
