import type { IncomingMessage, ServerResponse } from 'node:http';
import { storage } from 'nestjs-pino/storage';
import { pino } from 'pino';
import { lazyRequestContext, requestLineFields } from './request-log-context';

describe('lazyRequestContext', () => {
  const run = (headers: Record<string, string>, work: () => void) => {
    const lines: Record<string, unknown>[] = [];
    const root = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const req = { headers, method: 'POST', url: '/v1/contacts/+14155550123' } as unknown as IncomingMessage & { id?: string };
    lazyRequestContext(root, { service: 'optline-hub' })(req, {} as ServerResponse, work);
    return { req, lines };
  };

  it('gives the request its id and puts it, with the masked URL, on lines written while it runs', () => {
    const { req, lines } = run({ 'x-request-id': 'abc-123' }, () => storage.getStore()!.logger.warn('slow provider'));
    expect(req.id).toBe('abc-123');
    expect(lines).toEqual([expect.objectContaining({ msg: 'slow provider', service: 'optline-hub', req: { id: 'abc-123', method: 'POST', url: expect.not.stringContaining('5550123') } })]);
  });

  it('lets PinoLogger.assign replace the request logger', () => {
    const { lines } = run({}, () => {
      const store = storage.getStore()!;
      store.logger = store.logger.child({ jobId: 'j1' });
      store.logger.error('failed');
    });
    expect(lines[0]).toMatchObject({ jobId: 'j1', req: { id: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
  });

  it('masks a preference-page token in the URL it puts on every line', () => {
    const token = `AbCdEf${'x'.repeat(37)}.${'s'.repeat(22)}`;
    const lines: Record<string, unknown>[] = [];
    const root = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const req = { headers: {}, method: 'GET', url: `/p/${token}` } as unknown as IncomingMessage & { id?: string };
    lazyRequestContext(root, { service: 'optline-hub' })(req, {} as ServerResponse, () => storage.getStore()!.logger.warn('page'));
    expect(lines[0]).toMatchObject({ req: { url: '/p/AbCdEf…' } });
    expect(JSON.stringify(lines)).not.toContain(token);
  });
});

describe('requestLineFields', () => {
  it('names the workspace, who acted and the error code once the answer is known', () => {
    const req = { auth: { workspaceId: 'w-1', actor: 'api_key:k-1', role: 'admin' } } as never;
    const res = { locals: { errorCode: 'invalid_event' } } as never;
    expect(requestLineFields(req, res)).toEqual({ workspaceId: 'w-1', actor: 'api_key:k-1', errorCode: 'invalid_event' });
  });

  it('adds nothing for an anonymous request that succeeded', () => {
    expect(requestLineFields({} as never, { locals: {} } as never)).toEqual({});
  });
});
