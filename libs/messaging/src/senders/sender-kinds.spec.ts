import { brandDailyCap, pickSender, senderRate } from './sender-kinds';

describe('sender defaults', () => {
  it('holds each kind to its default rate unless the carrier granted one', () => {
    expect(senderRate({ kind: 'long_code', messagesPerSecond: null }, null)).toBe(1);
    expect(senderRate({ kind: 'short_code', messagesPerSecond: null }, null)).toBe(100);
    expect(senderRate({ kind: 'toll_free', messagesPerSecond: null }, null)).toBe(3);
    expect(senderRate({ kind: 'toll_free', messagesPerSecond: 25 }, null)).toBe(25);
    expect(senderRate({ kind: 'ten_dlc', messagesPerSecond: null }, 'score_75_100')).toBe(225);
    expect(senderRate({ kind: 'ten_dlc', messagesPerSecond: null }, null)).toBe(1.25);
  });

  it('caps a brand by its tier unless a cap is set', () => {
    expect(brandDailyCap(null)).toBe(2_000);
    expect(brandDailyCap({ tenDlcTier: 'score_50_74', dailyCap: null })).toBe(40_000);
    expect(brandDailyCap({ tenDlcTier: 'score_50_74', dailyCap: 0 })).toBe(0);
  });
});

describe('pickSender', () => {
  const senders = [
    { id: 'a', messageTypes: ['marketing', 'transactional'], enabled: true },
    { id: 'b', messageTypes: ['marketing'], enabled: true },
    { id: 'c', messageTypes: ['conversational'], enabled: false },
  ];

  it('only picks an enabled sender allowed to carry the type', () => {
    expect(pickSender(senders, 'transactional', '+13125550100')!.id).toBe('a');
    expect(pickSender(senders, 'conversational', '+13125550100')).toBeNull();
  });

  it('keeps one number on one sender and spreads numbers over senders', () => {
    const phones = Array.from({ length: 40 }, (_, i) => `+1312555${String(1000 + i)}`);
    const first = phones.map((p) => pickSender(senders, 'marketing', p)!.id);
    expect(phones.map((p) => pickSender(senders, 'marketing', p)!.id)).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['a', 'b']));
  });
});
