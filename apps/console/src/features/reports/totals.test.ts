import { describe, expect, it } from 'vitest';
import { totalsOf } from './totals';

const row = (over: Record<string, number>) => ({ bucket: null, group: '', label: '', sent: 0, delivered: 0, deliveryRate: 0, undelivered: 0, failed: 0, blocked: 0, deferred: 0, segments: 0, cost: 0, clicks: 0, uniqueClicks: 0, clickRate: 0, replies: 0, optOuts: 0, optOutRate: 0, conversions: 0, revenue: 0, ...over });

describe('totalsOf', () => {
  it('sums the days and takes the rates from the sums, not the mean of the daily rates', () => {
    const totals = totalsOf([row({ sent: 4, delivered: 2, uniqueClicks: 1, optOuts: 1, revenue: 120.5 }), row({ sent: 12, delivered: 8, uniqueClicks: 0, revenue: 40 })]);
    expect(totals).toMatchObject({ delivered: 10, deliveryRate: 0.625, uniqueClicks: 1, clickRate: 0.1, optOutRate: 0.1, revenue: 160.5 });
  });
});
