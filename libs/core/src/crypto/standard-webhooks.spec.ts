import { Webhook } from 'standardwebhooks';
import { isStandardSecret, newWebhookSecret, signWebhook, webhookSignatureProblem } from './standard-webhooks';

describe('Standard Webhooks signing', () => {
  const body = JSON.stringify({ type: 'consent.changed', data: { state: 'opted_out' } });

  it('signs so that the library’s own verifier accepts the request', () => {
    const secret = newWebhookSecret();
    expect(isStandardSecret(secret)).toBe(true);
    const headers = signWebhook(secret, 'msg_1', new Date(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('signs with a secret typed before the scheme as its raw bytes (the library’s format: raw)', () => {
    const headers = signWebhook('my old form secret', 'msg_2', new Date(), body);
    expect(() => new Webhook(Buffer.from('my old form secret'), { format: 'raw' }).verify(body, { ...headers })).not.toThrow();
  });

  it('refuses a changed body, a wrong secret, an old timestamp and missing headers, saying which', () => {
    const secret = newWebhookSecret();
    const now = Date.now();
    const headers = signWebhook(secret, 'msg_3', new Date(now), body);
    expect(webhookSignatureProblem(secret, { ...headers }, body, now)).toBeNull();
    expect(webhookSignatureProblem(secret, { ...headers }, `${body} `, now)).toMatch(/does not match/);
    expect(webhookSignatureProblem(newWebhookSecret(), { ...headers }, body, now)).toMatch(/does not match/);
    expect(webhookSignatureProblem(secret, { ...headers }, body, now + 301_000)).toMatch(/5 minutes/);
    expect(webhookSignatureProblem(secret, { 'webhook-id': 'msg_3' }, body, now)).toMatch(/required/);
  });

  it('accepts any one of several space-separated signatures (a receiver during secret rotation)', () => {
    const secret = newWebhookSecret();
    const now = Date.now();
    const headers = signWebhook(secret, 'msg_4', new Date(now), body);
    const other = signWebhook(newWebhookSecret(), 'msg_4', new Date(now), body)['webhook-signature'];
    expect(webhookSignatureProblem(secret, { ...headers, 'webhook-signature': `${other} ${headers['webhook-signature']}` }, body, now)).toBeNull();
  });
});
