/** The condition builder's rows and the JSON Logic they stand for (the hub's segment format). */
export interface ConditionRow {
  field: string;
  operator: string;
  value: string;
}

export const FIELDS: { value: string; label: string; kind: 'text' | 'number' | 'date' | 'consent' | 'boolean' | 'group' }[] = [
  { value: 'consent.marketing', label: 'Marketing consent', kind: 'consent' },
  { value: 'consent.transactional', label: 'Transactional consent', kind: 'consent' },
  { value: 'consentSource.marketing', label: 'Marketing consent source', kind: 'text' },
  { value: 'suppressed', label: 'On the suppression list', kind: 'boolean' },
  { value: 'inGroup', label: 'Member of group (id)', kind: 'group' },
  { value: 'contact.timeZone', label: 'Time zone', kind: 'text' },
  { value: 'phone.region', label: 'State (area code)', kind: 'text' },
  { value: 'phone.country', label: 'Country (phone)', kind: 'text' },
  { value: 'contact.createdAt', label: 'Created (days ago)', kind: 'date' },
  { value: 'contact.ordersCount', label: 'Order count', kind: 'number' },
  { value: 'contact.totalSpent', label: 'Total spent', kind: 'number' },
  { value: 'contact.lastOrderAt', label: 'Last order (days ago)', kind: 'date' },
  { value: 'contact.lastAppointmentAt', label: 'Last appointment (days ago)', kind: 'date' },
  { value: 'contact.customerSince', label: 'Customer since (days ago)', kind: 'date' },
];

export const OPERATORS: Record<string, { value: string; label: string }[]> = {
  consent: [{ value: '==', label: 'is' }, { value: '!=', label: 'is not' }],
  text: [{ value: '==', label: 'is' }, { value: '!=', label: 'is not' }],
  number: [{ value: '>=', label: 'at least' }, { value: '<=', label: 'at most' }, { value: '==', label: 'exactly' }],
  date: [{ value: '>', label: 'within the last … days' }, { value: '<', label: 'more than … days ago' }],
  boolean: [{ value: '==', label: 'is' }],
  group: [{ value: 'in', label: 'is a member of' }, { value: 'out', label: 'is not a member of' }],
};

export function kindOf(field: string) {
  return FIELDS.find((f) => f.value === field)?.kind ?? 'text';
}

/** One row as JSON Logic, or null while it is incomplete. */
export function rowRule(row: ConditionRow): Record<string, unknown> | null {
  const kind = kindOf(row.field);
  if (row.value.trim() === '' && kind !== 'boolean') return null;
  const variable = { var: row.field };
  switch (kind) {
    case 'group':
      return row.operator === 'out' ? { '!': { inGroup: row.value.trim() } } : { inGroup: row.value.trim() };
    case 'number':
      return Number.isFinite(Number(row.value)) ? { [row.operator]: [variable, Number(row.value)] } : null;
    case 'date':
      return Number.isFinite(Number(row.value)) ? { [row.operator]: [variable, { daysAgo: Number(row.value) }] } : null;
    case 'boolean':
      return { '==': [variable, row.value !== 'false'] };
    default:
      return { [row.operator]: [variable, row.value.trim()] };
  }
}

/** All rows joined by "all" (and) or "any" (or); null when none is complete. */
export function toRule(rows: ConditionRow[], match: 'all' | 'any'): Record<string, unknown> | null {
  const rules = rows.map(rowRule).filter((r): r is Record<string, unknown> => r !== null);
  if (rules.length === 0) return null;
  return { [match === 'all' ? 'and' : 'or']: rules };
}
