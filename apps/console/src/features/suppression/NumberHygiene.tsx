import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { call, errorMessage } from '../../api/errors';
import type { components } from '../../api/schema';
import { Button, Card, EmptyState, ErrorState, Field, Notice, Spinner, Table } from '../../components/ui';
import { useCan } from '../auth/session';

type Report = components['schemas']['HygieneReportResponseDto'];
type DeactivationResult = components['schemas']['DeactivationImportResponseDto'];

const REASONS: Record<string, string> = { landline: 'Landline', invalid_number: 'Invalid number', deactivated: 'Deactivated by the carrier' };
const label = (reason: string) => REASONS[reason] ?? reason;

/**
 * Number hygiene (docs/compliance.md): what the line-type lookups and the carriers' deactivation
 * lists put on the suppression list over the last 30 days, and the deactivation list upload.
 */
export function NumberHygiene() {
  const canReport = useCan('reports:read');
  const canWrite = useCan('suppression:write');
  if (!canReport && !canWrite) return null;
  return (
    <Card title="Number hygiene">
      <p className="muted">Landlines and invalid numbers found by line-type lookups, and numbers carriers deactivated after their consent, are suppressed automatically.</p>
      {canReport && <HygieneReport />}
      {canWrite && <DeactivationUpload />}
    </Card>
  );
}

function HygieneReport() {
  const report = useQuery({ queryKey: ['hygiene-report'], queryFn: () => call<Report>(api.GET('/v1/hygiene/report', { params: { query: {} } })) });
  if (report.isPending) return <Spinner label="Loading what hygiene removed…" />;
  if (report.isError) return <ErrorState message={errorMessage(report.error)} onRetry={() => void report.refetch()} />;
  const { days, totals, from, to } = report.data;
  if (days.length === 0) return <EmptyState title={`Nothing removed from ${from} to ${to}`} />;
  return (
    <>
      <p aria-label="Removed by reason">
        {Object.entries(totals)
          .map(([reason, count]) => `${label(reason)}: ${count}`)
          .join(' · ')}{' '}
        <span className="muted">({from} to {to}, UTC)</span>
      </p>
      <Table
        caption="Removed by hygiene, per day"
        rows={days}
        rowKey={(d) => `${d.day}-${d.reason}`}
        columns={[
          { header: 'Day', cell: (d) => d.day },
          { header: 'Reason', cell: (d) => label(d.reason) },
          { header: 'Numbers', cell: (d) => d.count },
        ]}
      />
    </>
  );
}

function DeactivationUpload() {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: () =>
      call<DeactivationResult>(
        api.POST('/v1/hygiene/deactivations', {
          body: file as never,
          headers: { 'Content-Type': 'text/csv' },
          bodySerializer: (body: unknown) => body as BodyInit,
        }),
      ),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['suppression'] }), queryClient.invalidateQueries({ queryKey: ['hygiene-report'] })]),
  });
  return (
    <form
      aria-label="Carrier deactivation list"
      style={{ marginTop: 16 }}
      onSubmit={(e) => {
        e.preventDefault();
        upload.mutate();
      }}
    >
      <Field label="Carrier deactivation list (CSV)" hint="A number column (phone, number, MDN) and a deactivation date column (YYYY-MM-DD, YYYYMMDD or MM/DD/YYYY). A number whose person opted in again after that date is kept.">
        <input className="input" type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </Field>
      <Button type="submit" busy={upload.isPending} disabled={!file}>Import deactivations</Button>
      {upload.isError && <Notice tone="danger">{errorMessage(upload.error)}</Notice>}
      {upload.data && (
        <Notice tone={upload.data.rejected ? 'warning' : 'success'}>
          {upload.data.rowsRead} rows read: {upload.data.suppressed} suppressed, {upload.data.alreadySuppressed} already suppressed, {upload.data.reconsented} opted in again since (kept),{' '}
          {upload.data.rejected} rejected.
          {upload.data.rejections.length > 0 && (
            <ul>
              {upload.data.rejections.slice(0, 20).map((r) => <li key={r.line}>Line {r.line}: {r.reason}</li>)}
            </ul>
          )}
        </Notice>
      )}
    </form>
  );
}
