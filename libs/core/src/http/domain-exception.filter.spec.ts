import { ArgumentsHost, Logger } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { DomainExceptionFilter, isWorthNoticing } from './domain-exception.filter';

describe('DomainExceptionFilter on an unexpected error', () => {
  const logged: unknown[] = [];
  beforeAll(() => Logger.overrideLogger({ log: () => undefined, warn: () => undefined, error: (message: unknown) => logged.push(message) }));
  afterAll(() => Logger.overrideLogger(false));

  function answer(exception: unknown, url: string) {
    const sent: { status?: number; body?: unknown } = {};
    const response = { headersSent: false, setHeader: () => undefined, status: (s: number) => ({ json: (b: unknown) => Object.assign(sent, { status: s, body: b }) }) };
    const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ id: 'r1', method: 'GET', url, originalUrl: url, headers: {} }) }) };
    new DomainExceptionFilter().catch(exception, host as unknown as ArgumentsHost);
    return sent;
  }

  it('answers 500 without detail and logs the URL and the error masked, without SQL parameters', () => {
    logged.length = 0;
    const error = Object.assign(new Error('duplicate key value violates unique constraint "contact_phone"'), {
      name: 'QueryFailedError',
      query: 'INSERT INTO contact (phone, email) VALUES ($1, $2)',
      parameters: ['+14155550123', 'ana.garcia@example.com'],
      driverError: { code: '23505', detail: 'Key (phone)=(+14155550123) already exists.' },
    });
    const sent = answer(error, '/v1/contacts?q=%2B14155550123&email=ana.garcia%40example.com&token=AbCdEfGhIjKlMnOp');
    expect(sent).toEqual({ status: 500, body: { code: 'internal_error', message: expect.any(String), details: [], requestId: 'r1' } });
    const line = JSON.stringify(logged);
    expect(line).not.toMatch(/5550123|ana\.garcia|EfGhIjKlMnOp/);
    expect(line).toContain('INSERT INTO contact');
    expect(logged[0]).toMatchObject({ url: '/v1/contacts?q=+1415•••0123&email=a•••%40example.com&token=AbCd…', error: { type: 'QueryFailedError', query: expect.any(String), driverError: { code: '23505' } } });
  });
});

describe('DomainExceptionFilter on a refusal worth noticing', () => {
  const warned: unknown[] = [];
  beforeAll(() => Logger.overrideLogger({ log: () => undefined, error: () => undefined, warn: (message: unknown) => warned.push(message) }));
  afterAll(() => Logger.overrideLogger(false));

  function answer(exception: unknown, url: string, route: string) {
    const locals: Record<string, unknown> = {};
    const response = { headersSent: false, locals, setHeader: () => undefined, status: () => ({ json: () => undefined }) };
    const request = { id: 'r1', method: 'POST', url, originalUrl: url, headers: {}, route: { path: route }, auth: { workspaceId: 'w-1', actor: 'user:u-1' } };
    const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }) };
    new DomainExceptionFilter().catch(exception, host as unknown as ArgumentsHost);
    return locals;
  }

  it('logs a refused signature and a failed plugin enable at warn, with the code, and hands the code to the request line', () => {
    warned.length = 0;
    const locals = answer(new DomainError('unauthorized', 'invalid_signature', 'no'), '/hooks/shopify/5b0f8c1e-7a4e-4c55-9a62-0c7a2f3c9d11', '/hooks/:pluginId/:installationId');
    expect(locals.errorCode).toBe('invalid_signature');
    answer(new DomainError('unprocessable', 'plugin_check_failed', 'no'), '/v1/plugins/shopify/enable', '/v1/plugins/:pluginId/enable');
    expect(warned).toEqual([
      expect.objectContaining({ code: 'invalid_signature', status: 401, url: '/hooks/shopify/5b0f8c1e-7a4e-4c55-9a62-0c7a2f3c9d11' }),
      expect.objectContaining({ code: 'plugin_check_failed', status: 422, workspaceId: 'w-1', actor: 'user:u-1' }),
    ]);
  });

  it('does not warn about an everyday client mistake', () => {
    warned.length = 0;
    answer(new DomainError('not_found', 'contact_not_found', 'no'), '/v1/contacts/x', '/v1/contacts/:id');
    expect(warned).toEqual([]);
    expect(isWorthNoticing(404, 'contact_not_found', '/v1/contacts/:id')).toBe(false);
    expect(isWorthNoticing(500, 'internal_error', '/v1/plugins/:pluginId/enable')).toBe(false);
  });
});
