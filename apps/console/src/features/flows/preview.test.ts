import { describe, expect, it } from 'vitest';
import { renderPreview, typingVariable, variablesFor } from './preview';

const context = { contact: { firstName: 'Alex' }, event: { checkoutUrl: 'https://shop.example/c/1' }, workspace: { brandName: 'Acme' }, flow: {}, run: {}, reply: {} };

describe('message preview', () => {
  it.each([
    ['{{ workspace.brandName }}: hi {{ contact.firstName }}', 'Acme: hi Alex'],
    ["{{ contact.lastName | default: 'there' }}", 'there'],
    ['{{ event.checkoutUrl | link }}', 'https://l.example/l/Ab3dE9xK'],
    ['{{ contact.firstName | upcase }}', 'ALEX'],
    ['{{ contact.nothing }}!', '!'],
  ])('%s → %s', (template, expected) => {
    expect(renderPreview(template, context, 'https://l.example')).toBe(expected);
  });

  it('offers the variables of the trigger', () => {
    expect(variablesFor(['checkout.updated'])).toEqual(expect.arrayContaining(['event.checkoutUrl', 'event.checkoutToken', 'contact.firstName', 'workspace.brandName']));
    expect(variablesFor(['checkout.updated'])).not.toContain('event.startsAt');
  });

  it('knows when a variable is being typed', () => {
    expect(typingVariable('Hi {{ contact.fi', 16)).toEqual({ start: 6, prefix: 'contact.fi' });
    expect(typingVariable('Hi {{ contact.firstName }} ', 27)).toBeNull();
    expect(typingVariable('{{ x | defa', 11)).toBeNull();
  });
});
