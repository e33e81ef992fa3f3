import { signHttpPayload, verifyHttpSignature } from './http-signature';
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
  const ts = now / 1000;

  it('accepts the signature of the exact body and timestamp', () => {
    expect(verifyHttpSignature(secret, { signature: signHttpPayload(secret, ts, body), timestamp: String(ts) }, body, now)).toBe(true);
  });

  it('refuses another body, another secret, an old timestamp or a missing header', () => {
    const signature = signHttpPayload(secret, ts, body);
    expect(verifyHttpSignature(secret, { signature, timestamp: String(ts) }, body.replace('STOP', 'START'), now)).toBe(false);
    expect(verifyHttpSignature('another-secret-entirely', { signature, timestamp: String(ts) }, body, now)).toBe(false);
    expect(verifyHttpSignature(secret, { signature, timestamp: String(ts) }, body, now + 301_000)).toBe(false);
    expect(verifyHttpSignature(secret, { timestamp: String(ts) }, body, now)).toBe(false);
    expect(verifyHttpSignature(secret, { signature, timestamp: 'soon' }, body, now)).toBe(false);
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
