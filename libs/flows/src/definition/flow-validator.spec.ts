import { ValidationFailedError } from '@optline/core';
import { checkFlow, parseFlowDocument } from './flow-validator';
import type { FlowDefinition } from './flow-definition';

function cart(): Record<string, any> {
  return {
    name: 'Abandoned cart',
    messageType: 'marketing',
    trigger: { events: ['checkout.updated'], correlationKey: 'checkoutToken' },
    reentry: { mode: 'cooldown', cooldown: 'P7D' },
    exits: [{ event: 'order.created', correlationKey: 'checkoutToken' }],
    steps: [
      { id: 'wait-1h', type: 'wait', duration: 'PT1H' },
      { id: 'nudge-1', type: 'send', template: '{{ workspace.brandName }}: {{ contact.firstName }}, your cart is waiting: {{ event.checkoutUrl }} Reply STOP to opt out.' },
      { id: 'wait-24h', type: 'wait', duration: 'PT24H' },
      { id: 'nudge-2', type: 'send', template: 'Still thinking it over? {{ event.checkoutUrl }}' },
    ],
  };
}

function errorsOf(document: unknown): { field?: string; step?: string; message: string; code: string }[] {
  try {
    parseFlowDocument(document, { brandName: 'Acme Alerts' });
  } catch (error) {
    if (error instanceof ValidationFailedError) return error.details.map((d) => ({ ...d, code: error.code })) as never;
    throw error;
  }
  return [];
}

describe('flow document validation', () => {
  it('accepts a well-formed abandoned cart flow', () => {
    expect(errorsOf(cart())).toEqual([]);
  });

  it('names the step and the field of a missing send template', () => {
    const doc = cart();
    delete doc.steps[1].template;
    const errors = errorsOf(doc);
    expect(errors).toContainEqual(expect.objectContaining({ field: 'steps[1].template', code: 'validation_failed' }));
    expect(errors.find((e) => e.field === 'steps[1].template')!.message).toMatch(/^step "nudge-1": template is required for a send step/);
  });

  it('refuses an unknown step type and a malformed duration, naming each step', () => {
    const doc = cart();
    doc.steps[0].duration = '1 hour';
    doc.steps[2].type = 'sleep';
    const fields = errorsOf(doc).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['steps[0].duration', 'steps[2].type']));
  });

  it('finds unreachable steps, dangling targets and loops', () => {
    const unreachable = cart();
    unreachable.steps[0].next = 'wait-24h';
    expect(errorsOf(unreachable)).toContainEqual(
      expect.objectContaining({ field: 'steps[1]', step: 'nudge-1', message: expect.stringContaining('unreachable'), code: 'flow_invalid' }),
    );

    const dangling = cart();
    dangling.steps[2].next = 'nudge-3';
    expect(errorsOf(dangling)).toContainEqual(expect.objectContaining({ field: 'steps[2].next', step: 'wait-24h', message: expect.stringContaining('"nudge-3", which is not a step') }));

    const loop = cart();
    loop.steps[3].next = 'wait-24h';
    expect(errorsOf(loop)).toContainEqual(expect.objectContaining({ field: 'steps[3].next', message: expect.stringContaining('cannot loop') }));
  });

  it('requires both branches of a branch, a timeout route of a waitForReply, and splits adding to 100', () => {
    const doc = cart();
    doc.steps.splice(
      2,
      0,
      { id: 'check', type: 'branch', condition: { '==': [{ var: 'consent.marketing' }, 'opted_in'] }, then: 'ask' },
      { id: 'ask', type: 'waitForReply', timeout: 'P1D', routes: [{ reply: 'yes', next: 'wait-24h' }] },
      { id: 'ab', type: 'split', arms: [{ name: 'A', percent: 60, next: 'wait-24h' }, { name: 'B', percent: 30, next: 'nudge-2' }] },
    );
    const errors = errorsOf(doc);
    expect(errors.map((e) => e.field)).toEqual(expect.arrayContaining(['steps[2].else', 'steps[3].onTimeout']));
    // Field errors come first; once they are fixed the graph checks speak.
    doc.steps[2].else = 'ab';
    doc.steps[3].onTimeout = 'ab';
    expect(errorsOf(doc)).toContainEqual(expect.objectContaining({ field: 'steps[4].arms', step: 'ab', message: expect.stringContaining('add up to 90') }));
  });

  it('refuses unknown template variables and fields of another step type', () => {
    const doc = cart();
    doc.steps[3].template = 'Hi {{ contact.fristName }}, {{ shop.url }}';
    doc.steps[0].template = 'not for a wait';
    const errors = errorsOf(doc);
    expect(errors).toContainEqual(expect.objectContaining({ field: 'steps[3].template', step: 'nudge-2', message: 'step "nudge-2": unknown template variable "contact.fristName"' }));
    expect(errors).toContainEqual(expect.objectContaining({ field: 'steps[3].template', message: 'step "nudge-2": unknown template variable "shop.url"' }));
    expect(errors).toContainEqual(expect.objectContaining({ field: 'steps[0].template', message: expect.stringContaining('does not apply to a wait step') }));
  });

  it('fails the compliance lint when the first message lacks the brand or opt-out language', () => {
    const doc = cart();
    doc.steps[1].template = 'Your cart is waiting: {{ event.checkoutUrl }}';
    const messages = errorsOf(doc).map((e) => `${e.field}: ${e.message}`);
    expect(messages).toEqual([
      'steps[1].template: step "nudge-1": the first message must name the sender: include {{ workspace.brandName }}',
      'steps[1].template: step "nudge-1": the first message must carry opt-out language such as "Reply STOP to opt out"',
    ]);
    // The literal brand counts; only the first message is linted.
    doc.steps[1].template = 'Acme Alerts: your cart is waiting. Reply STOP to opt out.';
    expect(errorsOf(doc)).toEqual([]);
  });

  it('lints every first message behind a branch', () => {
    const definition = cart() as FlowDefinition;
    definition.steps = [
      { id: 'vip', type: 'branch', condition: { '==': [{ var: 'contact.attributes.vip' }, true] }, then: 'vip-msg', else: 'plain-msg' },
      { id: 'vip-msg', type: 'send', template: '{{ workspace.brandName }}: VIP early access! Reply STOP to opt out.', next: 'done' },
      { id: 'plain-msg', type: 'send', template: 'Sale starts soon.' },
      { id: 'done', type: 'exit' },
    ];
    expect(checkFlow(definition).map((i) => i.step)).toEqual(['plain-msg', 'plain-msg']);
  });

  it('checks trigger options, exit correlation keys and JSON-Logic', () => {
    const doc = cart();
    doc.trigger.events = ['contact.date_reached'];
    doc.trigger.filter = { similar: [{ var: 'event.total' }, 3] };
    doc.exits[0].correlationKey = 'orderId';
    doc.steps.splice(0, 0, { id: 'b', type: 'branch', condition: { '>': [{ var: 'order.total' }, 1] }, then: 'wait-1h', else: 'nudge-2' });
    const fields = errorsOf(doc).map((e) => `${e.field}: ${e.message}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        'trigger.dateAttribute: trigger.dateAttribute is required for contact.date_reached (e.g. birthday)',
        'trigger.filter: trigger.filter: unknown JSON-Logic operator "similar"',
        'exits[0].correlationKey: exits[0].correlationKey must be "checkoutToken", the trigger\'s correlationKey',
        'steps[0].condition: step "b": condition: "order.total" is not under event, contact, consent or run',
      ]),
    );
  });
});
