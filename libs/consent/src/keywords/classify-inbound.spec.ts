import { classifyInbound, normalizeInboundText } from './classify-inbound';

describe('classifyInbound', () => {
  it.each([
    ['STOP', 'stop'],
    ['stop', 'stop'],
    ['Stop.', 'stop'],
    ['  STOP!!! ', 'stop'],
    ['StopAll', 'stop'],
    ['stop all', 'stop'],
    ['UNSUBSCRIBE', 'stop'],
    ['cancel', 'stop'],
    ['End', 'stop'],
    ['quit!', 'stop'],
    ['REVOKE', 'stop'],
    ['optout', 'stop'],
    ['Opt out', 'stop'],
    ['OPT-OUT.', 'stop'],
    ['stop please', 'stop'],
    ['Please STOP it now!', 'stop'],
    ['¡ALTO!', 'stop'],
    ['Parar', 'stop'],
    ['cancelar', 'stop'],
    ['DETENER', 'stop'],
  ])('reads %j as an opt-out keyword', (text, kind) => {
    expect(classifyInbound(text)).toMatchObject({ kind, informal: false, flagForReview: false });
  });

  it.each([
    ['START', 'start'],
    ['unstop', 'start'],
    ['Start!', 'start'],
    ['HELP', 'help'],
    ['help?', 'help'],
    ['Info', 'help'],
    ['AYUDA', 'help'],
    ['YES', 'yes'],
    ['y', 'yes'],
    ['Yes!', 'yes'],
    ['Sí', 'yes'],
    ['No', 'no'],
    ['no thanks', 'no'],
  ])('reads %j as %s', (text, kind) => {
    expect(classifyInbound(text).kind).toBe(kind);
  });

  it.each([
    ['Please stop texting me', false],
    ["Don't text me anymore.", false],
    ['take me off this list!!', false],
    ['Remove me', false],
    ['no more texts', false],
    ['I want to unsubscribe', false],
    ['wrong number', true],
    ['Not interested', true],
    ['Dejen de enviar mensajes', false],
  ])('reads the informal revocation %j as an opt-out (flagged: %s)', (text, flagged) => {
    expect(classifyInbound(text)).toMatchObject({ kind: 'stop', informal: true, flagForReview: flagged });
  });

  it('does not opt out on a sentence that merely contains a keyword, but flags it', () => {
    expect(classifyInbound("I'll stop by tomorrow")).toEqual({ kind: 'none', informal: false, flagForReview: true, matched: 'stop', language: 'en' });
    expect(classifyInbound('Can I cancel my order?')).toMatchObject({ kind: 'none', flagForReview: true, matched: 'cancel' });
  });

  it('leaves ordinary replies alone', () => {
    expect(classifyInbound('What time do you open?')).toEqual({ kind: 'none', informal: false, flagForReview: false, language: 'en' });
    expect(classifyInbound('')).toEqual({ kind: 'none', informal: false, flagForReview: false, language: 'en' });
    expect(classifyInbound('😀')).toEqual({ kind: 'none', informal: false, flagForReview: false, language: 'en' });
  });

  it("honours Twilio's OptOutType when the words alone say nothing", () => {
    expect(classifyInbound('Arrêtez', 'STOP')).toMatchObject({ kind: 'stop', matched: 'OptOutType=STOP' });
    expect(classifyInbound('hello', 'help')).toMatchObject({ kind: 'help' });
    // Our own reading wins when it is clear.
    expect(classifyInbound('HELP', 'STOP').kind).toBe('help');
  });

  it('normalises case, accents and punctuation', () => {
    expect(normalizeInboundText("  ¡Don't   STOP—Opt-Out! ")).toBe('don t stop opt out');
  });

  it('tells Spanish keywords apart, so they get the Spanish answer', () => {
    for (const text of ['PARAR', 'Alto', 'cancelar', 'DETENER', 'ayuda', 'Comenzar', 'Sí']) expect(classifyInbound(text).language).toBe('es');
    expect(classifyInbound('no me manden mas').language).toBe('es');
    for (const text of ['STOP', 'help', 'Cancel', 'YES', 'please stop texting me']) expect(classifyInbound(text).language).toBe('en');
  });
});
