import { signatureProblem, signSubmission } from './submission-signature';

describe('submission signatures', () => {
  const secret = 'whsec_0123456789abcdef';
  const body = Buffer.from('{"phone":"+14155550123","consent":true}');
  const now = Date.UTC(2026, 10, 22, 9, 0, 0);
  const t = now / 1000;

  it('accepts its own signature over the raw body', () => {
    expect(signatureProblem(secret, signSubmission(secret, body, t), body, now)).toBeNull();
  });

  it('refuses a changed body, a wrong secret, a stale timestamp and a missing header', () => {
    const header = signSubmission(secret, body, t);
    expect(signatureProblem(secret, header, Buffer.from('{"phone":"+14155550999","consent":true}'), now)).toBe('the signature does not match the body');
    expect(signatureProblem('another-secret-value', header, body, now)).toBe('the signature does not match the body');
    expect(signatureProblem(secret, header, body, now + 301_000)).toMatch(/more than 5 minutes/);
    expect(signatureProblem(secret, undefined, body, now)).toBe('X-Optline-Signature is missing');
    expect(signatureProblem(secret, 'sha256=abc', body, now)).toMatch(/must look like/);
  });
});
