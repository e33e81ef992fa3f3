import { preferenceDiff } from '../preferences/preference.service';
import type { FormConfig } from '../web-forms.config';
import { fieldProblems } from './form-submission.service';

const form = {
  fields: [
    { name: 'firstName', label: 'First name', required: true },
    { name: 'email', label: 'Email' },
    { name: 'birthday', label: 'Birthday', type: 'date' },
  ],
} as FormConfig;

describe('form rules', () => {
  it('names each field that is missing, malformed or unknown', () => {
    expect(fieldProblems(form, { firstName: 'Ada', email: 'ada@example.com', birthday: '1990-12-10' })).toEqual([]);
    expect(fieldProblems(form, { firstName: '  ', email: 'ada', birthday: '10/12/1990', shoe: '9' })).toEqual([
      { field: 'fields.shoe', message: 'shoe is not a field of this form' },
      { field: 'fields.firstName', message: 'First name is required' },
      { field: 'fields.email', message: 'Email must be an email address' },
      { field: 'fields.birthday', message: 'Birthday must be a date (YYYY-MM-DD)' },
    ]);
    expect(fieldProblems(form, { firstName: { nested: true } })[0]).toEqual({ field: 'fields.firstName', message: 'First name must be text' });
  });

  it('turns a preference save into opt-ins and opt-outs, leaving untouched types alone', () => {
    expect(preferenceDiff({ marketing: 'opted_in', transactional: 'pending', conversational: 'none' }, ['transactional', 'conversational'])).toEqual({
      optIn: ['conversational'],
      optOut: ['marketing'],
    });
    expect(preferenceDiff({ marketing: 'opted_out', transactional: 'none', conversational: 'none' }, [])).toEqual({ optIn: [], optOut: [] });
  });
});
