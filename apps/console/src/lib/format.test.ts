import { describe, expect, it } from 'vitest';
import { contactName, humanize, toneOf } from './format';

describe('format', () => {
  it('names a contact by name, then phone, then email', () => {
    expect(contactName({ firstName: 'Ada', lastName: 'Lovelace', phone: '+1', email: null })).toBe('Ada Lovelace');
    expect(contactName({ firstName: null, lastName: null, phone: '+14155550100', email: 'a@b.c' })).toBe('+14155550100');
    expect(contactName({ firstName: null, lastName: null, phone: null, email: null })).toBe('Unnamed contact');
  });
  it('humanizes codes', () => {
    expect(humanize('quiet_hours')).toBe('Quiet hours');
    expect(humanize('form.submitted')).toBe('Form submitted');
    expect(humanize('apiKeyId')).toBe('API key ID');
    expect(humanize('sms_keyword')).toBe('SMS keyword');
    expect(humanize(null)).toBe('—');
  });
  it('gives verdicts a tone', () => {
    expect(toneOf('block')).toBe('danger');
    expect(toneOf('pass')).toBe('success');
    expect(toneOf('defer')).toBe('warning');
  });
});
