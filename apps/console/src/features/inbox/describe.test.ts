import { describe, expect, it } from 'vitest';
import { describeOptIn, describeStatus, type EntryLike } from './describe';

const outbound = (over: Partial<EntryLike>): EntryLike => ({ direction: 'outbound', role: 'agent', status: 'sent', reason: null, held: false, blocked: false, consumedByFlow: false, ...over });

describe('describeStatus', () => {
  it.each([
    [outbound({ status: 'held', held: true, reason: 'awaiting_opt_in' }), 'held until opt-in', 'Will be sent when the client replies YES'],
    [outbound({ status: 'blocked', blocked: true, reason: 'opted_out' }), 'blocked', 'The client opted out (STOP)'],
    [outbound({ status: 'blocked', blocked: true, reason: 'some_new_rule' }), 'blocked', 'some new rule'],
    [outbound({ status: 'queued' }), 'queued', undefined],
    [outbound({ status: 'sent' }), 'sent', undefined],
    [outbound({ status: 'delivered' }), 'delivered', undefined],
    [outbound({ status: 'failed', reason: null }), 'failed', 'The carrier did not deliver it'],
  ])('%# %o → %s', (entry, label, detail) => {
    const words = describeStatus(entry);
    expect(words?.label).toBe(label);
    expect(words?.detail).toBe(detail);
  });

  it('says nothing under a notice or a plain received text; names a held inbound text', () => {
    expect(describeStatus(outbound({ direction: 'notice', status: null }))).toBeNull();
    expect(describeStatus(outbound({ direction: 'inbound', role: 'client', status: 'received' }))).toBeNull();
    expect(describeStatus(outbound({ direction: 'inbound', role: 'client', held: true }))?.label).toBe('held until YES');
  });
});

describe('describeOptIn', () => {
  it.each([
    ['opted_out', false, 'consent', 'Opted out'],
    ['opted_in', false, 'consent', 'Opted in'],
    ['pending', true, 'consent', 'Waiting for opt-in'],
    ['none', false, 'consent', 'Not opted in'],
    ['none', false, 'disclaimer', 'Disclaimer mode'],
    ['opted_out', false, 'disclaimer', 'Opted out'],
  ])('%s (asked: %s, %s mode) → %s', (state, asked, mode, label) => {
    expect(describeOptIn(state, asked, mode).label).toBe(label);
  });
});
