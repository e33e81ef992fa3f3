import { carriesOptOut, composeOutgoing, ComposeInput } from './message-composer';

const base: ComposeInput = {
  body: 'Flash sale: 20% off today.',
  type: 'marketing',
  brandName: 'Acme',
  optOutFooter: 'Reply STOP to opt out.',
  optInMode: 'consent',
  contactedBefore: true,
  disclaimer: 'You are receiving messages from Acme on behalf of Acme Inc. To opt out, reply STOP.',
};

describe('composeOutgoing', () => {
  it('adds the opt-out footer to marketing', () => {
    expect(composeOutgoing(base)).toBe('Flash sale: 20% off today.\nReply STOP to opt out.');
  });

  it('does not add a second footer when the body already carries opt-out language', () => {
    expect(composeOutgoing({ ...base, body: 'Sale today! Text STOP to unsubscribe' })).toBe('Sale today! Text STOP to unsubscribe');
    expect(composeOutgoing({ ...base, body: 'Sale. reply stop to opt out.' })).toBe('Sale. reply stop to opt out.');
  });

  it('adds no footer to transactional or conversational messages', () => {
    expect(composeOutgoing({ ...base, type: 'transactional', body: 'Order 1042 shipped.' })).toBe('Order 1042 shipped.');
  });

  it('names the brand in the first message a person gets', () => {
    expect(composeOutgoing({ ...base, type: 'transactional', body: 'Order 1042 shipped.', contactedBefore: false })).toBe('Acme: Order 1042 shipped.');
    expect(composeOutgoing({ ...base, type: 'transactional', body: 'Acme here: order shipped.', contactedBefore: false })).toBe('Acme here: order shipped.');
  });

  it('adds the disclaimer to the first non-marketing message in disclaimer mode', () => {
    expect(composeOutgoing({ ...base, type: 'conversational', body: 'Hi, this is Sam.', contactedBefore: false, optInMode: 'disclaimer' })).toBe(
      `Acme: Hi, this is Sam.\n${base.disclaimer}`,
    );
  });

  it('leaves system texts as written', () => {
    expect(composeOutgoing({ ...base, type: 'system', body: 'Acme: You are unsubscribed.', contactedBefore: false })).toBe('Acme: You are unsubscribed.');
  });

  it('recognises opt-out language', () => {
    expect(carriesOptOut('Reply STOP to cancel', 'Reply STOP to opt out.')).toBe(true);
    expect(carriesOptOut('We will stop by at noon', 'Reply STOP to opt out.')).toBe(false);
  });
});
