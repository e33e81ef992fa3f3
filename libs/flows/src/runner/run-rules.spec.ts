import type { FlowDefinition } from '../definition/flow-definition';
import { exitMatches } from './flow-exit.service';
import { reentryAllows } from './reentry';

describe('run rules', () => {
  const definition = {
    exits: [{ event: 'order.created', correlationKey: 'checkoutToken' }, { event: 'deal.stage_changed' }],
  } as unknown as FlowDefinition;
  const run = { contactId: 'c1', correlationKey: 'tok-1' };

  it('ends a run on an exit event with the same correlation value, or about the same contact when the rule has no key', () => {
    expect(exitMatches(definition, run, { id: 'e', type: 'order.created', correlation: { checkoutToken: 'tok-1', orderId: '9' }, contactId: 'someone-else' })).toBe(true);
    expect(exitMatches(definition, run, { id: 'e', type: 'order.created', correlation: { checkoutToken: 'tok-2' }, contactId: 'c1' })).toBe(false);
    expect(exitMatches(definition, run, { id: 'e', type: 'order.created', correlation: {}, contactId: 'c1' })).toBe(false);
    expect(exitMatches(definition, run, { id: 'e', type: 'deal.stage_changed', correlation: {}, contactId: 'c1' })).toBe(true);
    expect(exitMatches(definition, run, { id: 'e', type: 'deal.stage_changed', correlation: {}, contactId: 'c2' })).toBe(false);
    expect(exitMatches(definition, { contactId: 'c1', correlationKey: '' }, { id: 'e', type: 'order.created', correlation: { checkoutToken: '' }, contactId: 'c1' })).toBe(false);
  });

  it('applies the re-entry rules', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const lastWeek = new Date('2026-03-03T11:00:00Z');
    expect(reentryAllows({ mode: 'never' }, null, now)).toBe(true);
    expect(reentryAllows({ mode: 'never' }, lastWeek, now)).toBe(false);
    expect(reentryAllows({ mode: 'always' }, lastWeek, now)).toBe(true);
    expect(reentryAllows({ mode: 'cooldown', cooldown: 'P7D' }, lastWeek, now)).toBe(true);
    expect(reentryAllows({ mode: 'cooldown', cooldown: 'P8D' }, lastWeek, now)).toBe(false);
  });
});
