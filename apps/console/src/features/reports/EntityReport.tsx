import { useRef, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/errors';
import { Badge, Card, EmptyState, Field, Notice, PageHeader, QueryStates, Table } from '../../components/ui';
import { csvUrl, useFunnel, useSeries, useTopLinks, useTotals, type ReportRange, type ReportRow } from './api';
import { BarsChart, SeriesChart } from './Charts';
import { money, percent } from './totals';
import './reports.css';

/** Whose report: a flow (with its funnel from runs) or a campaign. */
export type ReportSubject = { kind: 'flow'; flowId: string; name: string; backTo: string } | { kind: 'campaign'; campaignId: string; name: string; backTo: string };

const ZERO: Omit<ReportRow, 'bucket' | 'group' | 'label'> = {
  sent: 0, delivered: 0, deliveryRate: 0, undelivered: 0, failed: 0, blocked: 0, deferred: 0, segments: 0, cost: 0,
  clicks: 0, uniqueClicks: 0, clickRate: 0, replies: 0, optOuts: 0, optOutRate: 0, conversions: 0, revenue: 0,
};

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

type Period = { from: string; to: string };

/**
 * The period is in the URL (`?from=…&to=…`, local dates, inclusive): a report can be shared as a
 * link. The URL is its mirror, not its source while the page is open: a search-param change lands
 * in a transition, and a render in between (a query answering) still sees the old URL — From then
 * To changed in quick succession would put the old From back. The period lives in state, and each
 * change merges into the latest change, never into what a render saw.
 */
function usePeriod(): [Period, (change: Partial<Period>) => void] {
  const [params, setParams] = useSearchParams();
  const [period, setPeriodState] = useState<Period>(() => {
    const now = new Date();
    return { from: params.get('from') ?? isoDate(new Date(now.getTime() - 29 * 86_400_000)), to: params.get('to') ?? isoDate(now) };
  });
  const latest = useRef(period);
  const change = (next: Partial<Period>) => {
    latest.current = { ...latest.current, ...next };
    setPeriodState(latest.current);
    const { from, to } = latest.current;
    setParams(
      (current) => {
        const mirrored = new URLSearchParams(current);
        mirrored.set('from', from);
        mirrored.set('to', to);
        return mirrored;
      },
      { replace: true },
    );
  };
  return [period, change];
}

/**
 * A flow's or a campaign's own report for a chosen period: delivery, click and opt-out rates,
 * conversions and revenue, the funnel, the days, the top links — every chart with its table, and
 * every number as the API (and its CSV) answers it: the summary is the breakdown's one row.
 */
export function EntityReport({ subject }: { subject: ReportSubject }) {
  const [period, setPeriod] = usePeriod();
  const range: ReportRange = { granularity: 'day', ...period, ...(subject.kind === 'flow' ? { flowId: subject.flowId } : { campaignId: subject.campaignId }) };
  const totals = useTotals(range);
  return (
    <>
      <PageHeader
        title={`Report: ${subject.name}`}
        description={
          <>
            Messages of this {subject.kind} sent from {period.from} to {period.to}, counted on the day they were sent (workspace time zone); clicks, opt-outs and orders count for the message they
            followed. <Link to={subject.backTo}>Back to the {subject.kind}</Link>
          </>
        }
        actions={
          <>
            <a className="btn btn--secondary" href={csvUrl('breakdown', range)} download>
              Totals CSV
            </a>
            <a className="btn btn--secondary" href={csvUrl('series', range)} download>
              Per-day CSV
            </a>
          </>
        }
      />
      <Card>
        <form className="filters" aria-label="Report period" onSubmit={(e) => e.preventDefault()}>
          <Field label="From">
            <input className="input" type="date" value={period.from} max={period.to} onChange={(e) => e.target.value && setPeriod({ from: e.target.value })} />
          </Field>
          <Field label="To">
            <input className="input" type="date" value={period.to} min={period.from} onChange={(e) => e.target.value && setPeriod({ to: e.target.value })} />
          </Field>
        </form>
      </Card>
      <QueryStates query={totals} describeError={errorMessage} loadingLabel="Loading the report…">
        {(report) => {
          const row = { ...ZERO, ...report.rows[0] };
          const warn = row.delivered > 0 && row.optOutRate > report.optOutWarningRate;
          return (
            <>
              <Summary row={row} currency={report.currency} warningRate={report.optOutWarningRate} warn={warn} />
              <FunnelCard subject={subject} range={range} row={row} currency={report.currency} />
              <DaysCard range={range} currency={report.currency} />
              <LinksCard range={range} />
            </>
          );
        }}
      </QueryStates>
    </>
  );
}

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Card>
      <div className="stat">{children}</div>
      <div className="stat-label">{label}</div>
    </Card>
  );
}

function Summary({ row, currency, warningRate, warn }: { row: typeof ZERO; currency: string; warningRate: number; warn: boolean }) {
  const lines: [string, ReactNode][] = [
    ['Sent', row.sent],
    ['Delivered', row.delivered],
    ['Delivery rate', percent(row.deliveryRate)],
    ['Undelivered or failed', row.undelivered + row.failed],
    ['Blocked', row.blocked],
    ['Clicks', row.clicks],
    ['Messages clicked', row.uniqueClicks],
    ['Click rate', percent(row.clickRate)],
    ['Replies', row.replies],
    ['Opt-outs', row.optOuts],
    ['Opt-out rate', percent(row.optOutRate)],
    ['Conversions', row.conversions],
    ['Revenue', money(row.revenue, currency)],
    ['Segments', row.segments],
    ['Cost', money(row.cost, currency)],
  ];
  return (
    <>
      <div className="stats" aria-label="Key numbers">
        <Stat label="Delivery rate">{percent(row.deliveryRate)}</Stat>
        <Stat label="Click rate">{percent(row.clickRate)}</Stat>
        <Stat label="Opt-out rate">
          {percent(row.optOutRate)} {warn && <Badge tone="warning">high</Badge>}
        </Stat>
        <Stat label="Conversions">{row.conversions}</Stat>
        <Stat label="Revenue">{money(row.revenue, currency)}</Stat>
      </div>
      <Card title="Summary">
        {warn && (
          <Notice tone="warning">
            The opt-out rate is {percent(row.optOutRate)}, above this workspace's warning threshold of {percent(warningRate)}. Fewer or better-targeted texts usually bring it down.
          </Notice>
        )}
        {row.sent === 0 && row.blocked === 0 && <EmptyState title="No messages in this period">Numbers appear here as this sends.</EmptyState>}
        <Table
          caption="Summary"
          rows={lines}
          rowKey={([name]) => name}
          columns={[
            { header: 'Measure', cell: ([name]) => name },
            { header: 'Value', cell: ([, value]) => value },
          ]}
        />
      </Card>
    </>
  );
}

function FunnelCard({ subject, range, row, currency }: { subject: ReportSubject; range: ReportRange; row: typeof ZERO; currency: string }) {
  const funnel = useFunnel(subject.kind === 'flow' ? subject.flowId : null, range);
  const stages =
    subject.kind === 'flow'
      ? funnel.data && [
          { stage: 'Entered', count: funnel.data.entered },
          { stage: 'Sent', count: funnel.data.sent },
          { stage: 'Delivered', count: funnel.data.delivered },
          { stage: 'Clicked', count: funnel.data.clicked },
          { stage: 'Converted', count: funnel.data.converted },
        ]
      : [
          { stage: 'Sent', count: row.sent },
          { stage: 'Delivered', count: row.delivered },
          { stage: 'Clicked', count: row.uniqueClicks },
          { stage: 'Converted', count: row.conversions },
        ];
  const body = (steps: { stage: string; count: number }[]) => (
    <>
      <BarsChart label={`Funnel: ${steps.map((s) => s.stage.toLowerCase()).join(', ')}`} data={steps} dataKey="count" nameKey="stage" />
      <Table
        caption="Funnel"
        rows={steps}
        rowKey={(s) => s.stage}
        columns={[
          { header: 'Stage', cell: (s) => s.stage },
          { header: 'Count', cell: (s) => s.count },
        ]}
      />
      <p className="muted">
        {subject.kind === 'flow' ? 'Entered counts runs started in the period; the other stages count messages (a run can send several).' : 'Each stage counts messages.'} Revenue attributed:{' '}
        {money(row.revenue, currency)}
      </p>
    </>
  );
  return (
    <Card title="Funnel">
      {subject.kind === 'flow' ? (
        <QueryStates query={{ ...funnel, data: stages }} describeError={errorMessage} loadingLabel="Loading the funnel…">
          {body}
        </QueryStates>
      ) : (
        body(stages!)
      )}
    </Card>
  );
}

function DaysCard({ range, currency }: { range: ReportRange; currency: string }) {
  const series = useSeries(range);
  return (
    <Card title="Day by day">
      <QueryStates query={series} describeError={errorMessage} isEmpty={(s) => s.rows.length === 0} empty="No messages in this period" loadingLabel="Loading the days…">
        {(s) => (
          <>
            <SeriesChart
              label="Sent, delivered, clicks, opt-outs and conversions per day"
              data={s.rows}
              series={[
                { key: 'sent', label: 'Sent' },
                { key: 'delivered', label: 'Delivered' },
                { key: 'uniqueClicks', label: 'Messages clicked' },
                { key: 'optOuts', label: 'Opt-outs' },
                { key: 'conversions', label: 'Conversions' },
              ]}
            />
            <Table
              caption="Numbers per day"
              rows={s.rows}
              rowKey={(r) => `${r.bucket}`}
              columns={[
                { header: 'Day', cell: (r) => r.bucket },
                { header: 'Sent', cell: (r) => r.sent },
                { header: 'Delivered', cell: (r) => r.delivered },
                { header: 'Delivery rate', cell: (r) => percent(r.deliveryRate) },
                { header: 'Clicked', cell: (r) => r.uniqueClicks },
                { header: 'Click rate', cell: (r) => percent(r.clickRate) },
                { header: 'Opt-outs', cell: (r) => r.optOuts },
                { header: 'Opt-out rate', cell: (r) => percent(r.optOutRate) },
                { header: 'Conversions', cell: (r) => r.conversions },
                { header: 'Revenue', cell: (r) => money(r.revenue, currency) },
              ]}
            />
          </>
        )}
      </QueryStates>
    </Card>
  );
}

function LinksCard({ range }: { range: ReportRange }) {
  const links = useTopLinks(range);
  return (
    <Card title="Top links">
      <QueryStates query={links} describeError={errorMessage} isEmpty={(l) => l.data.length === 0} empty="No clicks in this period" loadingLabel="Loading the links…">
        {(l) => (
          <>
            <BarsChart label="Clicks per link" data={l.data} dataKey="clicks" nameKey="url" />
            <Table
              caption="Top links"
              rows={l.data}
              rowKey={(x) => x.url}
              columns={[
                { header: 'Link', cell: (x) => <span className="mono">{x.url}</span> },
                { header: 'Clicks', cell: (x) => x.clicks },
                { header: 'Messages clicked', cell: (x) => x.uniqueClicks },
              ]}
            />
          </>
        )}
      </QueryStates>
    </Card>
  );
}
