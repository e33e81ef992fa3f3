/**
 * A live preview of a send step's Liquid for a sample contact and event, as the user types. It
 * understands what templates use (`{{ path | default: 'x' | link | upcase … }}`); tags such as
 * `{% if %}` are shown unevaluated. The simulator renders with the hub's own engine.
 */
export interface PreviewContext {
  contact: Record<string, unknown>;
  event: Record<string, unknown>;
  workspace: Record<string, unknown>;
  flow: Record<string, unknown>;
  run: Record<string, unknown>;
  reply: Record<string, unknown>;
}

/** Sample data per trigger event: the fields the canonical events carry (docs/plugins.md). */
export const SAMPLE_EVENTS: Record<string, Record<string, unknown>> = {
  'checkout.updated': { checkoutToken: 'c1a2b3', checkoutUrl: 'https://shop.example/checkouts/c1a2b3', total: '59.00', currency: 'USD', recoverAt: '' },
  'order.created': { orderId: '1001', orderName: '#1001', total: '59.00', currency: 'USD', checkoutToken: 'c1a2b3', customerOrderCount: 1 },
  'order.shipped': { orderId: '1001', orderName: '#1001', trackingNumber: '1Z999', trackingUrl: 'https://track.example/1Z999', carrier: 'UPS' },
  'order.delivered': { orderId: '1001', orderName: '#1001', reviewUrl: 'https://shop.example/review/1001' },
  'appointment.booked': { appointmentId: 'a-1', startsAt: '2026-12-10T15:30:00Z', title: 'Haircut', location: 'Main St', rescheduleUrl: 'https://book.example/r/a-1' },
  'appointment.rescheduled': { appointmentId: 'a-1', startsAt: '2026-12-11T15:30:00Z', title: 'Haircut' },
  'appointment.cancelled': { appointmentId: 'a-1' },
  'appointment.completed': { appointmentId: 'a-1', title: 'Haircut', reviewUrl: 'https://reviews.example/acme' },
  'form.submitted': { formId: 'signup', consentChecked: true, bookingUrl: 'https://book.example/acme' },
  'lead.created': { leadId: 'l-1', source: 'website', bookingUrl: 'https://book.example/acme' },
  'deal.stage_changed': { dealId: 'd-1', stage: 'won' },
  'contact.date_reached': { attribute: 'birthday', date: '12-10', years: 2 },
  'customer.lapsed': { lastOrderAt: '2026-06-01T12:00:00Z', days: 90 },
  'sms.received': { body: 'JOIN', keyword: 'JOIN' },
  'campaign.scheduled': { name: 'Flash sale', startsAt: '2026-12-10T15:00:00Z' },
};

export const SAMPLE_CONTACT = { id: '00000000-0000-4000-8000-000000000000', firstName: 'Alex', lastName: 'Doe', phone: '+15555550123', email: 'alex@example.com', timeZone: 'America/New_York', attributes: {} };

/** The variables a template may use for flows triggered by these events (for autocompletion). */
export function variablesFor(events: readonly string[]): string[] {
  const eventFields = new Set<string>();
  for (const type of events) for (const field of Object.keys(SAMPLE_EVENTS[type] ?? {})) eventFields.add(field);
  return [
    ...['id', 'firstName', 'lastName', 'phone', 'email', 'timeZone'].map((f) => `contact.${f}`),
    ...[...eventFields].sort().map((f) => `event.${f}`),
    ...['name', 'brandName', 'supportEmail', 'supportPhone', 'supportUrl'].map((f) => `workspace.${f}`),
    'flow.name',
    'run.id',
    'run.startedAt',
    'reply.body',
    'reply.keyword',
  ];
}

/** The variable being typed at `caret` (after an unclosed `{{`), or null. */
export function typingVariable(text: string, caret: number): { start: number; prefix: string } | null {
  const before = text.slice(0, caret);
  const open = before.lastIndexOf('{{');
  if (open < 0 || before.lastIndexOf('}}') > open) return null;
  const m = /([\w.]*)$/.exec(before.slice(open + 2));
  if (!m || before.slice(open + 2).includes('|')) return null;
  return { start: caret - m[1].length, prefix: m[1] };
}

function lookup(context: PreviewContext, path: string): unknown {
  let value: unknown = context;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function literal(arg: string): string {
  const m = /^\s*(['"])(.*)\1\s*$/.exec(arg);
  return m ? m[2] : arg.trim();
}

export function renderPreview(template: string, context: PreviewContext, linkBase = 'https://example.com'): string {
  return template.replace(/\{\{\s*([\s\S]*?)\s*\}\}/g, (_match, expression: string) => {
    const [head, ...filters] = expression.split('|');
    const source = head.trim();
    let value: unknown = /^(['"]).*\1$/.test(source) ? literal(source) : lookup(context, source);
    for (const filter of filters) {
      const [name, ...args] = filter.split(':');
      switch (name.trim()) {
        case 'default':
          if (value === undefined || value === null || value === '') value = literal(args.join(':'));
          break;
        case 'link':
          // The hub swaps URLs for a short link of this shape (PUBLIC_URL/l/<8-char code>).
          if (value) value = `${linkBase}/l/Ab3dE9xK`;
          break;
        case 'upcase':
          value = String(value ?? '').toUpperCase();
          break;
        case 'downcase':
          value = String(value ?? '').toLowerCase();
          break;
        case 'capitalize':
          value = String(value ?? '').replace(/^./, (c) => c.toUpperCase());
          break;
        case 'localtime': {
          const date = new Date(String(value));
          if (!Number.isNaN(date.getTime())) value = date.toLocaleString('en-US', { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
          break;
        }
        default:
          break;
      }
    }
    return value === undefined || value === null ? '' : String(value);
  });
}
