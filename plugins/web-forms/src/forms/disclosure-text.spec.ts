import { composeDisclosure, missingDisclosureElements } from './disclosure-text';

describe('disclosure text', () => {
  it('composes every element carriers require, naming brand, kinds and links', () => {
    const text = composeDisclosure({
      brand: 'Acme Alerts',
      types: ['marketing', 'transactional'],
      termsUrl: 'https://acme.test/terms',
      privacyUrl: 'https://acme.test/privacy',
    });
    expect(text).toContain('from Acme Alerts');
    expect(text).toContain('marketing and account and order text messages');
    expect(text).toContain('Msg frequency varies. Msg & data rates may apply. Reply STOP to cancel, HELP for help.');
    expect(text).toContain('Terms: https://acme.test/terms Privacy: https://acme.test/privacy');
    expect(missingDisclosureElements(text)).toEqual([]);
  });

  it('uses a configured frequency without doubling its full stop', () => {
    const text = composeDisclosure({ brand: 'B', types: ['marketing'], frequency: '4 msgs/month.', termsUrl: 't', privacyUrl: 'p' });
    expect(text).toContain('4 msgs/month. Msg & data rates');
  });

  it('names what a custom text lacks', () => {
    expect(missingDisclosureElements('Acme texts. Reply STOP to cancel.')).toEqual(['"Msg & data rates may apply"', 'how to get help ("HELP")']);
    expect(missingDisclosureElements('Msg and data rates may apply. Reply STOP to cancel, HELP for help.')).toEqual([]);
  });
});
