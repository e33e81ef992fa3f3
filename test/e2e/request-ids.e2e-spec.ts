import { TestHub } from '../utils/test-hub';

// Tests run at LOG_LEVEL=silent, where the request context is the lazy one (no pino-http).
describe('request ids on error answers', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await TestHub.start();
  });
  afterAll(() => hub.close());

  it('returns the X-Request-Id given, or a generated one, as requestId in an error body', async () => {
    const given = await hub.http().get('/v1/workspace').set('X-Request-Id', 'support-ticket-4711').expect(401);
    expect(given.body).toMatchObject({ code: 'missing_credentials', requestId: 'support-ticket-4711' });

    const generated = await hub.http().get('/v1/workspace').expect(401);
    expect(generated.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    // An id that could smuggle anything into a log line is replaced, not echoed.
    const unsafe = await hub.http().get('/v1/workspace').set('X-Request-Id', 'a b"c').expect(401);
    expect(unsafe.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
