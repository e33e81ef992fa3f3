import { channelsOf, isRenewalDue, newChannelSecret, tokenMatches, WatchChannel } from './watch-channel';

function channel(over: Partial<WatchChannel> = {}): WatchChannel {
  const secret = newChannelSecret();
  return {
    calendarId: 'bookings@acme.example',
    id: secret.id,
    tokenHash: secret.tokenHash,
    resourceId: 'res-1',
    address: 'https://hub.example/hooks/google-calendar/x',
    expiresAt: '2026-11-29T15:00:00.000Z',
    createdAt: '2026-11-22T15:00:00.000Z',
    ...over,
  };
}

describe('watch channels', () => {
  it('accept only the token whose hash the channel keeps', () => {
    const secret = newChannelSecret();
    const c = channel({ id: secret.id, tokenHash: secret.tokenHash });
    expect(secret.id.length).toBeLessThanOrEqual(64);
    expect(tokenMatches(c, secret.token)).toBe(true);
    expect(tokenMatches(c, `${secret.token}x`)).toBe(false);
    expect(tokenMatches(c, secret.tokenHash)).toBe(false);
    expect(tokenMatches(undefined, secret.token)).toBe(false);
  });

  it('make a different id and token every time', () => {
    const a = newChannelSecret();
    const b = newChannelSecret();
    expect(a.id).not.toBe(b.id);
    expect(a.token).not.toBe(b.token);
    expect(a.token.length).toBeGreaterThanOrEqual(43);
  });

  it('are due for renewal a day before they expire, or six days after opening when Google gave no expiry', () => {
    const c = channel();
    expect(isRenewalDue(c, new Date('2026-11-28T14:59:59Z'))).toBe(false);
    expect(isRenewalDue(c, new Date('2026-11-28T15:00:00Z'))).toBe(true);
    const open = channel({ expiresAt: null });
    expect(isRenewalDue(open, new Date('2026-11-28T14:00:00Z'))).toBe(false);
    expect(isRenewalDue(open, new Date('2026-11-28T15:00:00Z'))).toBe(true);
  });

  it('read the state defensively', () => {
    const c = channel();
    expect(channelsOf({ channels: [c, { id: 1 }, null, 'x'] })).toEqual([c]);
    expect(channelsOf({})).toEqual([]);
    expect(channelsOf({ channels: 'nope' })).toEqual([]);
  });
});
