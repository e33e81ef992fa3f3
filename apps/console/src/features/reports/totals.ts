import type { ReportRow } from './api';

const COUNTED = ['sent', 'delivered', 'undelivered', 'failed', 'blocked', 'deferred', 'segments', 'cost', 'clicks', 'uniqueClicks', 'replies', 'optOuts', 'conversions', 'revenue'] as const;

export type Totals = Record<(typeof COUNTED)[number] | 'deliveryRate' | 'clickRate' | 'optOutRate', number>;

/** Sums the rows; rates are recomputed from the sums, not averaged. */
export function totalsOf(rows: ReportRow[]): Totals {
  const totals = Object.fromEntries(COUNTED.map((k) => [k, 0])) as Totals;
  for (const row of rows) for (const key of COUNTED) totals[key] += row[key];
  totals.cost = Math.round(totals.cost * 10_000) / 10_000;
  totals.revenue = Math.round(totals.revenue * 100) / 100;
  totals.deliveryRate = totals.sent ? totals.delivered / totals.sent : 0;
  totals.clickRate = totals.delivered ? totals.uniqueClicks / totals.delivered : 0;
  totals.optOutRate = totals.delivered ? totals.optOuts / totals.delivered : 0;
  return totals;
}

export function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)} %`;
}

export function money(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 2 }).format(amount);
}
