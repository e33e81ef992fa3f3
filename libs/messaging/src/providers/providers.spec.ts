import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { checkHttpSignature, signHttpRequest } from './http-signature';
import { classifyHttpStatus, classifyNetworkError } from './sms-provider';
import { twilioErrorKind } from './twilio-errors';
import { twimlResponse } from './twilio-signature';

describe('provider error classification', () => {
  it('maps Twilio codes to consent and suppression signals', () => {
    expect(twilioErrorKind(21610, 400)).toBe('opt_out');
    expect(twilioErrorKind('21211', 400)).toBe('invalid_number');
    expect(twilioErrorKind('30006')).toBe('invalid_number');
    expect(twilioErrorKind('30003')).toBe('permanent');
    expect(twilioErrorKind(20003, 401)).toBe('permanent');
    expect(twilioErrorKind(null, 503)).toBe('retry');
    expect(twilioErrorKind(20429, 429)).toBe('retry');
  });

  it('retries only what certainly did not reach the provider', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(classifyNetworkError(refused)).toMatchObject({ kind: 'retry', code: 'ECONNREFUSED' });
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    expect(classifyNetworkError(reset)).toMatchObject({ kind: 'ambiguous', code: 'ECONNRESET' });
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    expect(classifyNetworkError(timeout)).toMatchObject({ kind: 'ambiguous', code: 'TimeoutError' });
    expect(classifyHttpStatus(500, null, 'x').kind).toBe('retry');
    expect(classifyHttpStatus(429, null, 'x').kind).toBe('retry');
    expect(classifyHttpStatus(400, 'bad', 'x')).toMatchObject({ kind: 'permanent', code: 'bad' });
  });
});

describe('http provider signature', () => {
  const secret = 'a-long-enough-signing-secret';
  const body = '{"id":"1","from":"+13055550123","body":"STOP"}';
  const now = Date.parse('2026-11-20T17:00:00Z');
  const at = new Date(now);

  it('signs with Standard Webhooks (the library verifies it with the secret as raw bytes) and the old pair beside it', () => {
    const headers = signHttpRequest(secret, 'msg-1', at, body);
    jest.spyOn(Date, 'now').mockReturnValueOnce(now);
    expect(() => new Webhook(Buffer.from(secret), { format: 'raw' }).verify(body, headers)).not.toThrow();
    expect(headers['x-optline-signature']).toBe(`sha256=${createHmac('sha256', secret).update(`${now / 1000}.${body}`).digest('hex')}`);
    expect(checkHttpSignature(secret, headers, body, now)).toEqual({ problem: null, legacy: false });
  });

  it('accepts the old X-Optline-Signature pair alone, and says it is the old one', () => {
    const { 'x-optline-signature': signature, 'x-optline-timestamp': timestamp } = signHttpRequest(secret, 'msg-2', at, body);
    expect(checkHttpSignature(secret, { 'x-optline-signature': signature, 'x-optline-timestamp': timestamp }, body, now)).toEqual({ problem: null, legacy: true });
    expect(checkHttpSignature(secret, { 'x-optline-signature': signature, 'x-optline-timestamp': timestamp }, body.replace('STOP', 'START'), now).problem).toMatch(/does not match/);
    expect(checkHttpSignature(secret, { 'x-optline-signature': signature, 'x-optline-timestamp': 'soon' }, body, now).problem).toMatch(/unix seconds/);
  });

  it('refuses another body, another secret, an old timestamp or missing headers', () => {
    const headers = signHttpRequest(secret, 'msg-3', at, body);
    const standard = { 'webhook-id': headers['webhook-id'], 'webhook-timestamp': headers['webhook-timestamp'], 'webhook-signature': headers['webhook-signature'] };
    expect(checkHttpSignature(secret, standard, body.replace('STOP', 'START'), now).problem).toMatch(/does not match/);
    expect(checkHttpSignature('another-secret-entirely', standard, body, now).problem).toMatch(/does not match/);
    expect(checkHttpSignature(secret, standard, body, now + 301_000).problem).toMatch(/5 minutes/);
    expect(checkHttpSignature(secret, {}, body, now).problem).toMatch(/required/);
  });
});

describe('twimlResponse', () => {
  it('answers an empty Response, or one Message per reply, escaped', () => {
    expect(twimlResponse([])).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(twimlResponse(['Acme: Msg&data rates <may> apply'])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Acme: Msg&amp;data rates &lt;may&gt; apply</Message></Response>',
    );
  });
});
