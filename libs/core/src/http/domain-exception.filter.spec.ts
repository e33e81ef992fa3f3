import { ArgumentsHost, Logger } from '@nestjs/common';
import { DomainExceptionFilter } from './domain-exception.filter';

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
