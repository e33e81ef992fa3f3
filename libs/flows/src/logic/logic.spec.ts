import type { ReplyRoute } from '../definition/flow-definition';
import { evaluateCondition } from './condition';
import { flowTemplates } from './flow-template-engine';
import { matchReply } from './reply-match';
import { pickArm } from './split-arm';

describe('flow logic helpers', () => {
  const routes: ReplyRoute[] = [
    { reply: 'stop', next: 'opted-out' },
    { reply: 'keyword', keyword: 'MORE', next: 'more' },
    { reply: 'yes', next: 'confirmed' },
    { reply: 'no', next: 'declined' },
    { reply: 'any', next: 'other' },
  ];
  it.each([
    ['Y', null, 'confirmed'],
    [' yes! ', null, 'confirmed'],
    ['no', null, 'declined'],
    ['more', null, 'more'],
    ['STOP', 'stop', 'opted-out'],
    ['what time is it?', null, 'other'],
  ])('routes the reply %j (keyword %j) to %s', (body, keyword, next) => {
    expect(matchReply(routes, { body, keyword })?.next).toBe(next);
  });

  it('leaves a reply no route takes unmatched, and never routes STOP to "any"', () => {
    expect(matchReply([{ reply: 'yes', next: 'a' }], { body: 'maybe', keyword: null })).toBeNull();
    expect(matchReply([{ reply: 'any', next: 'a' }], { body: 'STOP', keyword: 'stop' })).toBeNull();
  });

  it('evaluates JSON-Logic over contact, consent and event', () => {
    const data = { event: { totalPrice: 42 }, contact: { attributes: { vip: true } }, consent: { marketing: 'opted_in' } };
    expect(evaluateCondition({ and: [{ '>': [{ var: 'event.totalPrice' }, 20] }, { '==': [{ var: 'consent.marketing' }, 'opted_in'] }] }, data)).toBe(true);
    expect(evaluateCondition({ '==': [{ var: 'contact.attributes.vip' }, false] }, data)).toBe(false);
  });

  it('splits deterministically by contact and close to the percentages', () => {
    const arms = [
      { name: 'A', percent: 30, next: 'a' },
      { name: 'B', percent: 70, next: 'b' },
    ];
    expect(pickArm(arms, 'flow', 'ab', 'contact-1')).toBe(pickArm(arms, 'flow', 'ab', 'contact-1'));
    const counts = { A: 0, B: 0 } as Record<string, number>;
    for (let i = 0; i < 4000; i++) counts[pickArm(arms, 'flow', 'ab', `c${i}`).name]++;
    expect(counts.A / 4000).toBeGreaterThan(0.27);
    expect(counts.A / 4000).toBeLessThan(0.33);
  });

  it('renders local times in the recipient zone', () => {
    const text = flowTemplates.render('See you {{ event.startsAt | localtime: "ccc LLL d \'at\' h:mm a" }}, {{ contact.firstName | default: "there" }}', {
      contact: { firstName: null },
      event: { startsAt: '2026-03-12T20:30:00Z' },
      workspace: {},
      run: {},
      flow: {},
      zone: 'America/Chicago',
    });
    expect(text).toBe('See you Thu Mar 12 at 3:30 PM, there');
  });
});
