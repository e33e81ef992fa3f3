import { afterEach, describe, expect, it, vi } from 'vitest';
import { onUnauthorized, readCookie, transport } from './client';
import { ApiError, call } from './errors';

type Hook = (options: { request: Request; response?: Response }) => unknown;
const onRequest = (request: Request) => (transport.onRequest as unknown as Hook)({ request }) as Request;
const onResponse = (request: Request, response: Response) => (transport.onResponse as unknown as Hook)({ request, response });

describe('the console transport', () => {
  afterEach(() => {
    document.cookie = 'optline_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
    onUnauthorized(() => undefined);
  });

  it('sends the CSRF token from the optline_csrf cookie on changes, never on reads', () => {
    document.cookie = 'optline_csrf=tok%2Ben';
    expect(readCookie('optline_csrf')).toBe('tok+en');
    expect(onRequest(new Request('http://hub.test/v1/groups', { method: 'POST' })).headers.get('X-CSRF-Token')).toBe('tok+en');
    expect(onRequest(new Request('http://hub.test/v1/groups/1', { method: 'DELETE' })).headers.get('X-CSRF-Token')).toBe('tok+en');
    expect(onRequest(new Request('http://hub.test/v1/groups')).headers.get('X-CSRF-Token')).toBeNull();
  });

  it('sends a lost session to sign-in, but not the answers sign-in itself shows', () => {
    const lost = vi.fn();
    onUnauthorized(lost);
    onResponse(new Request('http://hub.test/v1/contacts'), new Response('{}', { status: 401 }));
    expect(lost).toHaveBeenCalledTimes(1);
    onResponse(new Request('http://hub.test/v1/auth/login', { method: 'POST' }), new Response('{}', { status: 401 }));
    onResponse(new Request('http://hub.test/v1/auth/me'), new Response('{}', { status: 401 }));
    onResponse(new Request('http://hub.test/v1/contacts'), new Response('{}', { status: 403 }));
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('turns the hub’s error body into an ApiError naming the fields', async () => {
    const body = { code: 'validation_failed', message: 'phone is invalid', details: [{ field: 'phone', message: 'is not a phone number' }] };
    const error = await call(Promise.resolve({ error: body, response: new Response(null, { status: 400 }) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('validation_failed');
    expect((error as ApiError).fieldMessage('phone')).toBe('is not a phone number');
    await expect(call(Promise.reject(new TypeError('Failed to fetch')))).rejects.toMatchObject({ code: 'network_error' });
  });
});
