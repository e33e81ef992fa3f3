import { maskForLog } from './mask';

describe('maskForLog', () => {
  it('masks phone numbers, emails, credentials in query strings and preference tokens', () => {
    expect(maskForLog('/v1/contacts/+14155550123')).toBe('/v1/contacts/+1415•••0123');
    expect(maskForLog('/v1/contacts?q=ana.garcia@example.com')).toBe('/v1/contacts?q=a•••@example.com');
    expect(maskForLog('/v1/contacts?q=ana%40example.com&limit=5')).toBe('/v1/contacts?q=a•••%40example.com&limit=5');
    expect(maskForLog('/hooks/x?token=abcdefghijkl&api_key=zyxwvuts&signature=00112233')).toBe('/hooks/x?token=abcd…&api_key=zyxw…&signature=0011…');
    expect(maskForLog('/p/AbCdEf0123456789abcdef0123456789abcdef01234.sig0123456789abcdefghi')).toBe('/p/AbCdEf…');
    expect(maskForLog('/v1/flows?limit=20&cursor=abc')).toBe('/v1/flows?limit=20&cursor=abc');
    expect(maskForLog('/v1/invitations/accept/oli_q2V0b0Z1bGx5UmFuZG9tQnl0ZXNIZXJlMTIzNDU2Nzg')).toBe('/v1/invitations/accept/oli_…');
    expect(maskForLog('/v1/password-resets/olr_5551234567890123456789abcdefABCDEF_-xyz')).toBe('/v1/password-resets/olr_…');
  });
});
