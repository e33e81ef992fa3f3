import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, errorMessage } from '../../api/errors';
import { Badge, Button, Card, Field, Notice, PageHeader, ProgressBar, QueryStates, type BadgeTone } from '../../components/ui';
import { useCan } from '../auth/session';
import { useRecomputeStatus, useReportSettings, useSaveReportSettings, useStartRecompute, type Recompute, type ReportSettings } from './api';
import './reports.css';

const DAY = 24 * 60;

/** What a person edits: windows in days, the threshold in percent, prices as rows. */
interface Draft {
  clickDays: string;
  deliveryDays: string;
  replyDays: string;
  optOutDays: string;
  warningPercent: string;
  currency: string;
  prices: { provider: string; price: string }[];
}

function draftOf(s: ReportSettings): Draft {
  const days = (minutes: number) => String(Math.round((minutes / DAY) * 100) / 100);
  return {
    clickDays: days(s.clickWindowMinutes),
    deliveryDays: days(s.deliveryWindowMinutes),
    replyDays: days(s.replyWindowMinutes),
    optOutDays: days(s.optOutWindowMinutes),
    warningPercent: String(Math.round(s.optOutWarningRate * 10_000) / 100),
    currency: s.currency,
    prices: Object.entries(s.segmentPrices).map(([provider, price]) => ({ provider, price: String(price) })),
  };
}

/** The draft as the hub's fields; the first thing that is not a number is named. */
function changeOf(d: Draft): { change?: Parameters<ReturnType<typeof useSaveReportSettings>['mutate']>[0]; field?: string; message?: string } {
  const minutes = (value: string, field: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 90) throw { field, message: 'Enter a number of days from 0 to 90' };
    return Math.round(n * DAY);
  };
  try {
    const warning = Number(d.warningPercent);
    if (d.warningPercent.trim() === '' || !Number.isFinite(warning) || warning < 0 || warning > 100) throw { field: 'warningPercent', message: 'Enter a percentage from 0 to 100' };
    const segmentPrices: Record<string, number> = {};
    d.prices.forEach((p, i) => {
      if (p.provider.trim() === '' && p.price.trim() === '') return;
      const price = Number(p.price);
      if (p.provider.trim() === '') throw { field: `provider${i}`, message: 'Name the provider (e.g. twilio)' };
      if (p.price.trim() === '' || !Number.isFinite(price) || price < 0 || price > 100) throw { field: `price${i}`, message: 'Enter a price from 0 to 100' };
      segmentPrices[p.provider.trim()] = price;
    });
    return {
      change: {
        clickWindowMinutes: minutes(d.clickDays, 'clickDays'),
        deliveryWindowMinutes: minutes(d.deliveryDays, 'deliveryDays'),
        replyWindowMinutes: minutes(d.replyDays, 'replyDays'),
        optOutWindowMinutes: minutes(d.optOutDays, 'optOutDays'),
        optOutWarningRate: Math.round(warning * 100) / 10_000,
        currency: d.currency.trim().toUpperCase(),
        segmentPrices,
      },
    };
  } catch (invalid) {
    return invalid as { field: string; message: string };
  }
}

/** `/reports/settings`: attribution windows, the opt-out warning, prices; a changed window recomputes history. */
export function ReportSettingsScreen() {
  const settings = useReportSettings();
  return (
    <>
      <PageHeader
        title="Report settings"
        description={
          <>
            How orders, replies and opt-outs are attributed to the texts before them, when the opt-out rate warns, and what a segment costs. <Link to="/reports">Back to Reports</Link>
          </>
        }
      />
      <QueryStates query={settings} describeError={errorMessage} loadingLabel="Loading the settings…">
        {(s) => <SettingsForm settings={s} />}
      </QueryStates>
      <RecomputeCard />
    </>
  );
}

function SettingsForm({ settings }: { settings: ReportSettings }) {
  const canWrite = useCan('settings:write');
  const save = useSaveReportSettings();
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [invalid, setInvalid] = useState<{ field?: string; message?: string }>({});
  const [saved, setSaved] = useState<string | null>(null);
  const set = (patch: Partial<Draft>) => {
    setSaved(null);
    setDraft({ ...draft, ...patch });
  };
  const err = (field: string) => (invalid.field === field ? invalid.message : undefined);
  const hubError = save.error instanceof ApiError ? save.error : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { change, ...problem } = changeOf(draft);
    setInvalid(problem);
    if (!change) return;
    const windowsChanged =
      change.clickWindowMinutes !== settings.clickWindowMinutes ||
      change.deliveryWindowMinutes !== settings.deliveryWindowMinutes ||
      change.replyWindowMinutes !== settings.replyWindowMinutes ||
      change.optOutWindowMinutes !== settings.optOutWindowMinutes;
    save.mutate(change, { onSuccess: () => setSaved(windowsChanged ? 'Saved. History is being recomputed with the new windows (progress below).' : 'Saved.') });
  };

  return (
    <form onSubmit={submit} aria-label="Report settings" noValidate>
      <Card title="Attribution windows">
        <p className="muted">An order counts for the last text the person clicked within the click window, or else the last text delivered to them within the delivery window.</p>
        <div className="filters">
          <Field label="Click window (days)" hint="Default 5" error={err('clickDays')}>
            <input className="input" inputMode="decimal" value={draft.clickDays} disabled={!canWrite} onChange={(e) => set({ clickDays: e.target.value })} />
          </Field>
          <Field label="Delivery window (days)" hint="Default 1" error={err('deliveryDays')}>
            <input className="input" inputMode="decimal" value={draft.deliveryDays} disabled={!canWrite} onChange={(e) => set({ deliveryDays: e.target.value })} />
          </Field>
          <Field label="Reply window (days)" hint="Default 3" error={err('replyDays')}>
            <input className="input" inputMode="decimal" value={draft.replyDays} disabled={!canWrite} onChange={(e) => set({ replyDays: e.target.value })} />
          </Field>
          <Field label="Opt-out window (days)" hint="Default 2" error={err('optOutDays')}>
            <input className="input" inputMode="decimal" value={draft.optOutDays} disabled={!canWrite} onChange={(e) => set({ optOutDays: e.target.value })} />
          </Field>
        </div>
      </Card>
      <Card title="Opt-out warning">
        <Field label="Warn above this opt-out rate (%)" hint="Opt-outs per delivered text; default 2" error={err('warningPercent')}>
          <input className="input" inputMode="decimal" value={draft.warningPercent} disabled={!canWrite} onChange={(e) => set({ warningPercent: e.target.value })} />
        </Field>
      </Card>
      <Card title="Price per segment">
        <p className="muted">Cost in reports is segments × the price of the provider that sent them. A price change applies to every report at once (no recompute).</p>
        <Field label="Currency" error={hubError?.details.some((d) => d.field === 'currency') ? 'Three capital letters, e.g. USD' : undefined}>
          <input className="input" value={draft.currency} maxLength={3} disabled={!canWrite} onChange={(e) => set({ currency: e.target.value })} />
        </Field>
        {draft.prices.map((p, i) => (
          <div className="filters" key={i}>
            <Field label={`Provider ${i + 1}`} error={err(`provider${i}`)}>
              <input className="input" value={p.provider} placeholder="twilio" disabled={!canWrite} onChange={(e) => set({ prices: draft.prices.map((x, j) => (j === i ? { ...x, provider: e.target.value } : x)) })} />
            </Field>
            <Field label={`Price per segment ${i + 1}`} error={err(`price${i}`)}>
              <input className="input" inputMode="decimal" value={p.price} placeholder="0.0079" disabled={!canWrite} onChange={(e) => set({ prices: draft.prices.map((x, j) => (j === i ? { ...x, price: e.target.value } : x)) })} />
            </Field>
            {canWrite && (
              <Button onClick={() => set({ prices: draft.prices.filter((_, j) => j !== i) })} aria-label={`Remove provider ${i + 1}`}>
                Remove
              </Button>
            )}
          </div>
        ))}
        {canWrite && <Button onClick={() => set({ prices: [...draft.prices, { provider: '', price: '' }] })}>Add a provider price</Button>}
      </Card>
      {save.isError && <Notice tone="danger">{errorMessage(save.error)}</Notice>}
      {saved && <Notice tone="success">{saved}</Notice>}
      <div className="form-actions report-settings__save">
        {canWrite ? (
          <Button type="submit" variant="primary" busy={save.isPending}>
            Save report settings
          </Button>
        ) : (
          <p className="muted">Your role may read these settings; an admin changes them.</p>
        )}
      </div>
    </form>
  );
}

const TONE: Record<Recompute['status'], BadgeTone> = { idle: 'neutral', pending: 'info', running: 'warning', completed: 'success', failed: 'danger' };
const PHASE: Record<string, string> = { messages: 'Re-deriving message facts', attribution: 'Re-attributing replies, opt-outs and orders', rollups: 'Rebuilding the daily and hourly totals' };

function RecomputeCard() {
  const status = useRecomputeStatus();
  const start = useStartRecompute();
  const canWrite = useCan('settings:write');
  return (
    <Card
      title="Recompute history"
      actions={
        canWrite && (
          <Button onClick={() => start.mutate()} busy={start.isPending} disabled={status.data?.status === 'pending' || status.data?.status === 'running'}>
            Recompute now
          </Button>
        )
      }
    >
      <QueryStates query={status} describeError={errorMessage} loadingLabel="Loading the recompute…">
        {(r) => (
          <div aria-label="Recompute progress">
            <p>
              <Badge tone={TONE[r.status]}>{r.status === 'idle' ? 'never run' : r.status}</Badge> {r.phase && <span>{PHASE[r.phase] ?? r.phase}</span>}
              {r.finishedAt && r.status === 'completed' && <span className="muted"> · finished {new Date(r.finishedAt).toLocaleString()}</span>}
            </p>
            {(r.status === 'running' || r.status === 'completed') && r.total > 0 && (
              <ProgressBar value={r.done} max={r.total} label={`${r.done.toLocaleString()} of ${r.total.toLocaleString()} messages`} />
            )}
            {r.status === 'pending' && <p className="muted">Waiting for a worker to start it (within a few seconds).</p>}
            {r.error && <Notice tone="danger">{r.error}</Notice>}
            <p className="muted">Reports show the previous numbers until it finishes; texts sent meanwhile are counted when it finishes.</p>
          </div>
        )}
      </QueryStates>
      {start.isError && <Notice tone="danger">{errorMessage(start.error)}</Notice>}
    </Card>
  );
}
