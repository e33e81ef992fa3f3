import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/errors';
import { Badge, Card, EmptyState, ErrorState, Field, KeyValues, Notice, PageHeader, QueryStates, Table } from '../../components/ui';
import { seriesCsvUrl, useFlowBreakdown, useFunnel, useSeries, useTopLinks, type ReportRange, type ReportRow } from './api';
import { BarsChart, SeriesChart } from './Charts';
import { money, percent, totalsOf } from './totals';
import './reports.css';

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function defaultRange(granularity: 'day' | 'hour'): ReportRange {
  const now = new Date();
  if (granularity === 'hour') {
    const to = new Date(Math.ceil(now.getTime() / 3_600_000) * 3_600_000);
    return { granularity, from: new Date(to.getTime() - 48 * 3_600_000).toISOString(), to: to.toISOString() };
  }
  return { granularity, from: isoDate(new Date(now.getTime() - 29 * 86_400_000)), to: isoDate(now) };
}

/** Delivery, clicks, replies, opt-outs, conversions and revenue, as charts and as tables. */
export function ReportsScreen() {
  const [range, setRange] = useState<ReportRange>(() => {
    const params = new URLSearchParams(window.location.search);
    const granularity = params.get('granularity') === 'hour' ? 'hour' : 'day';
    const base = defaultRange(granularity);
    return { ...base, from: params.get('from') ?? base.from, to: params.get('to') ?? base.to, type: params.get('type') ?? undefined };
  });
  const series = useSeries(range);

  return (
    <>
      <PageHeader
        title="Reports"
        description="Every number counts messages by the day (or hour) they were sent, in the workspace's time zone."
        actions={
          <>
            <Link className="btn btn--secondary" to="/reports/settings">
              Report settings
            </Link>
            <a className="btn btn--secondary" href={seriesCsvUrl(range)} download>
              Download CSV
            </a>
          </>
        }
      />
      <Card>
        <form className="filters" aria-label="Report range" onSubmit={(e) => e.preventDefault()}>
          <Field label="Granularity">
            <select className="select" value={range.granularity} onChange={(e) => setRange({ ...defaultRange(e.target.value as 'day' | 'hour'), type: range.type })}>
              <option value="day">Per day</option>
              <option value="hour">Per hour (last 48 h)</option>
            </select>
          </Field>
          {range.granularity === 'day' && (
            <>
              <Field label="From">
                <input className="input" type="date" value={range.from} onChange={(e) => e.target.value && setRange({ ...range, from: e.target.value })} />
              </Field>
              <Field label="To">
                <input className="input" type="date" value={range.to} onChange={(e) => e.target.value && setRange({ ...range, to: e.target.value })} />
              </Field>
            </>
          )}
          <Field label="Message type">
            <select className="select" value={range.type ?? ''} onChange={(e) => setRange({ ...range, type: e.target.value || undefined })}>
              <option value="">Any</option>
              {['marketing', 'transactional', 'conversational', 'system'].map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </Field>
        </form>
      </Card>
      <QueryStates query={series} describeError={errorMessage} loadingLabel="Loading the report…">
        {(s) => <ReportBody rows={s.rows} currency={s.currency} warningRate={s.optOutWarningRate} range={range} />}
      </QueryStates>
    </>
  );
}

function ReportBody({ rows, currency, warningRate, range }: { rows: ReportRow[]; currency: string; warningRate: number; range: ReportRange }) {
  const totals = totalsOf(rows);
  const overThreshold = totals.delivered > 0 && totals.optOutRate > warningRate;
  return (
    <>
      <Card title="Summary">
        {overThreshold && (
          <Notice tone="warning">
            The opt-out rate is {percent(totals.optOutRate)}, above this workspace's warning threshold of {percent(warningRate)}. Fewer or better-targeted texts usually bring it down.
          </Notice>
        )}
        <KeyValues
          items={[
            ['Sent', totals.sent],
            ['Delivered', totals.delivered],
            ['Undelivered / failed', totals.undelivered + totals.failed],
            ['Blocked', totals.blocked],
            ['Clicks (unique)', `${totals.clicks} (${totals.uniqueClicks})`],
            ['Click rate', percent(totals.clickRate)],
            ['Replies', totals.replies],
            ['Opt-outs', totals.optOuts],
            ['Opt-out rate', <span key="r">{percent(totals.optOutRate)} {overThreshold && <Badge tone="warning">above threshold</Badge>}</span>],
            ['Conversions', totals.conversions],
            ['Revenue', money(totals.revenue, currency)],
            ['Segments (cost)', `${totals.segments} (${money(totals.cost, currency)})`],
          ]}
        />
      </Card>
      {rows.length === 0 ? (
        <Card>
          <EmptyState title="No messages in this range">Numbers appear here as messages are sent.</EmptyState>
        </Card>
      ) : (
        <>
          <Card title="Delivery and engagement">
            <SeriesChart
              label="Sent, delivered, clicks and opt-outs over time"
              data={rows}
              series={[
                { key: 'sent', label: 'Sent' },
                { key: 'delivered', label: 'Delivered' },
                { key: 'uniqueClicks', label: 'Unique clicks' },
                { key: 'optOuts', label: 'Opt-outs' },
              ]}
            />
            <Table
              caption="Numbers per period"
              rows={rows}
              rowKey={(r) => `${r.bucket}`}
              columns={[
                { header: range.granularity === 'day' ? 'Day' : 'Hour', cell: (r) => r.bucket },
                { header: 'Sent', cell: (r) => r.sent },
                { header: 'Delivered', cell: (r) => r.delivered },
                { header: 'Undelivered', cell: (r) => r.undelivered + r.failed, secondary: true },
                { header: 'Blocked', cell: (r) => r.blocked, secondary: true },
                { header: 'Clicks', cell: (r) => r.clicks },
                { header: 'Unique clicks', cell: (r) => r.uniqueClicks },
                { header: 'Click rate', cell: (r) => percent(r.clickRate) },
                { header: 'Replies', cell: (r) => r.replies, secondary: true },
                { header: 'Opt-outs', cell: (r) => r.optOuts },
                { header: 'Opt-out rate', cell: (r) => percent(r.optOutRate) },
              ]}
            />
          </Card>
          <Card title="Conversions and revenue">
            <BarsChart label="Revenue per period" data={rows} dataKey="revenue" nameKey="bucket" />
            <Table
              caption="Conversions and revenue per period"
              rows={rows}
              rowKey={(r) => `${r.bucket}`}
              columns={[
                { header: range.granularity === 'day' ? 'Day' : 'Hour', cell: (r) => r.bucket },
                { header: 'Conversions', cell: (r) => r.conversions },
                { header: 'Revenue', cell: (r) => money(r.revenue, currency) },
                { header: 'Cost', cell: (r) => money(r.cost, currency), secondary: true },
              ]}
            />
          </Card>
        </>
      )}
      <FunnelCard range={range} currency={currency} />
      <LinksCard range={range} />
    </>
  );
}

function FunnelCard({ range, currency }: { range: ReportRange; currency: string }) {
  const flows = useFlowBreakdown(range);
  const withFlow = (flows.data?.rows ?? []).filter((r) => r.group);
  const [chosen, setChosen] = useState<string | null>(null);
  const flowId = chosen ?? withFlow[0]?.group ?? null;
  const funnel = useFunnel(flowId, range);
  const steps = funnel.data
    ? [
        { stage: 'Entered', count: funnel.data.entered },
        { stage: 'Sent', count: funnel.data.sent },
        { stage: 'Delivered', count: funnel.data.delivered },
        { stage: 'Clicked', count: funnel.data.clicked },
        { stage: 'Converted', count: funnel.data.converted },
      ]
    : [];
  return (
    <Card title="Flow funnel">
      {withFlow.length === 0 ? (
        <EmptyState title="No flow sent messages in this range" />
      ) : (
        <>
          <Field label="Flow">
            <select className="select" value={flowId ?? ''} onChange={(e) => setChosen(e.target.value)}>
              {withFlow.map((f) => (
                <option key={f.group} value={f.group}>
                  {f.label}
                </option>
              ))}
            </select>
          </Field>
          {funnel.isError && <ErrorState message={errorMessage(funnel.error)} />}
          {funnel.data && (
            <>
              <BarsChart label="Funnel: entered, sent, delivered, clicked, converted" data={steps} dataKey="count" nameKey="stage" />
              <Table
                caption="Funnel"
                rows={steps}
                rowKey={(s) => s.stage}
                columns={[
                  { header: 'Stage', cell: (s) => s.stage },
                  { header: 'Count', cell: (s) => s.count },
                ]}
              />
              <p className="muted">Revenue attributed to this flow: {money(funnel.data.revenue, currency)}</p>
            </>
          )}
        </>
      )}
    </Card>
  );
}

function LinksCard({ range }: { range: ReportRange }) {
  const links = useTopLinks(range);
  return (
    <Card title="Top links">
      <QueryStates query={links} describeError={errorMessage} isEmpty={(l) => l.data.length === 0} empty="No clicks in this range" loadingLabel="Loading the links…">
        {(l) => (
          <Table
            caption="Top links"
            rows={l.data}
            rowKey={(x) => x.url}
            columns={[
              { header: 'Link', cell: (x) => <span className="mono">{x.url}</span> },
              { header: 'Clicks', cell: (x) => x.clicks },
              { header: 'Unique clicks', cell: (x) => x.uniqueClicks },
            ]}
          />
        )}
      </QueryStates>
    </Card>
  );
}
