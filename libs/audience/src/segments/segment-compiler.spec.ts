import { DomainError } from '@optline/core';
import { SegmentCompiler } from './segment-compiler';

const WS = '6b1f0c1a-5a53-4a0b-9d2c-2f7a4b1b9e10';

describe('SegmentCompiler', () => {
  it('binds every value: nothing a client sends is spliced into the SQL text', () => {
    const hostile = "x'); DROP TABLE contact; --";
    const { sql, params } = SegmentCompiler.compile(
      { and: [{ '==': [{ var: 'contact.firstName' }, hostile] }, { in: [hostile, { var: 'contact.tags' }] }, { in: [{ var: 'contact.tier' }, [hostile, 'gold']] }, { '==': [{ var: `contact.attributes.tier` }, hostile] }] },
      [WS],
      'conditions',
      new Date('2026-03-10T00:00:00Z'),
    );
    expect(sql).not.toContain('DROP');
    expect(params[0]).toBe(WS);
    expect(params).toContain(hostile);
  });

  it('refuses unknown variables, operators and malformed attribute names with the JSON path', () => {
    const problems = SegmentCompiler.check({ or: [{ '==': [{ var: 'event.total' }, 1] }, { map: [] }, { '==': [{ var: 'contact.bad-name; --' }, 1] }] });
    expect(problems.map((p) => p.field)).toEqual(['conditions.or[0].==[0]', 'conditions.or[1].map', 'conditions.or[2].==[0]']);
    expect(() => SegmentCompiler.compile({ '<': [{ var: 'consent.marketing' }, 'opted_in'] }, [WS])).toThrow(DomainError);
  });

  it('counts relative dates from the clock it is given, not the database\'s', () => {
    const { params } = SegmentCompiler.compile({ '>': [{ var: 'contact.lastOrderAt' }, { daysAgo: 30 }] }, [WS], 'conditions', new Date('2026-03-10T00:00:00Z'));
    expect(params).toContain('2026-03-10T00:00:00.000Z');
    expect(params).toContain(30);
  });

  it('lists the groups a rule names so the caller can check they are the workspace\'s', () => {
    expect(SegmentCompiler.groupIds({ and: [{ inGroup: 'a' }, { '!': { inGroup: 'b' } }] })).toEqual(['a', 'b']);
  });
});
