/** Small pure formatting helpers shared by features. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function contactName(contact: { firstName: string | null; lastName: string | null; phone: string | null; email?: string | null }): string {
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
  return name || contact.phone || contact.email || 'Unnamed contact';
}

/** `quiet_hours` → `Quiet hours`. */
/** Words that are spelled in capitals wherever they stand ("sms_keyword" → "SMS keyword"). */
const ACRONYMS = new Set(['sms', 'api', 'url', 'id', 'csv', 'mms', 'ip']);

export function humanize(value: string | null | undefined): string {
  if (!value) return '—';
  const words = value.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.:-]+/g, ' ').trim().toLowerCase().split(/\s+/);
  const text = words.map((word) => (ACRONYMS.has(word) ? word.toUpperCase() : word)).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export type Tone = 'neutral' | 'success' | 'warning' | 'danger' | 'info';

export function toneOf(value: string | null | undefined): Tone {
  switch (value) {
    case 'opted_in':
    case 'pass':
    case 'delivered':
    case 'sent':
    case 'processed':
    case 'completed':
    case 'enabled':
      return 'success';
    case 'pending':
    case 'defer':
    case 'deferred':
    case 'queued':
    case 'running':
    case 'received':
      return 'warning';
    case 'opted_out':
    case 'block':
    case 'blocked':
    case 'failed':
    case 'undelivered':
      return 'danger';
    default:
      return 'neutral';
  }
}
