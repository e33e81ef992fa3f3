import { useState } from 'react';
import { errorMessage } from '../../api/errors';
import type { ImportJob } from '../../api/types';
import { Badge, Button, Card, EmptyState, ErrorState, Field, KeyValues, Notice, PageHeader, ProgressBar, Spinner, Table } from '../../components/ui';
import { formatDateTime, toneOf } from '../../lib/format';
import { useDisclosures } from '../contacts/api';
import { isRunning, useImport, useImports, useUpload } from './api';
import { countRows, guessColumn, KNOWN_COLUMNS, mappedHeader, readHeader } from './csv';

interface Picked {
  file: File;
  headers: string[];
  headerBytes: number;
  mapping: string[];
  rows: number;
}

export function ImportsScreen() {
  const [current, setCurrent] = useState<{ id: string; rows: number } | null>(null);
  return (
    <>
      <PageHeader title="Imports" description="Bring contacts and their consent in from a CSV file." />
      <UploadCard onStarted={setCurrent} />
      {current && <ProgressCard id={current.id} rows={current.rows} />}
      <HistoryCard />
    </>
  );
}

function UploadCard({ onStarted }: { onStarted: (job: { id: string; rows: number }) => void }) {
  const [picked, setPicked] = useState<Picked | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [types, setTypes] = useState<string[]>(['marketing']);
  const [note, setNote] = useState('');
  const [disclosureId, setDisclosureId] = useState('');
  const disclosures = useDisclosures();
  const upload = useUpload();

  async function pick(file: File | undefined) {
    setPicked(null);
    setReadError(null);
    if (!file) return;
    try {
      const [{ headers, headerBytes }, rows] = await Promise.all([readHeader(file), countRows(file)]);
      setPicked({ file, headers, headerBytes, rows, mapping: headers.map(guessColumn) });
    } catch (error) {
      setReadError(`Could not read that file: ${errorMessage(error)}`);
    }
  }

  function start() {
    if (!picked) return;
    const header = mappedHeader(picked.headers, picked.mapping);
    const body = new Blob([`${header}\n`, picked.file.slice(picked.headerBytes)], { type: 'text/csv' });
    upload.mutate(
      { file: body, fileName: picked.file.name, consentTypes: types, note: note || undefined, disclosureId: disclosureId || undefined },
      { onSuccess: (job) => { onStarted({ id: job.id, rows: picked.rows }); setPicked(null); } },
    );
  }

  const hasPhone = picked?.mapping.includes('phone');
  return (
    <Card title="New import">
      <Field label="CSV file" hint="One row per person with a phone column; consent columns are optional.">
        <input className="input" type="file" accept=".csv,text/csv" onChange={(e) => void pick(e.target.files?.[0])} />
      </Field>
      {readError && <Notice tone="danger">{readError}</Notice>}
      {picked && (
        <>
          <p>
            <strong>{picked.file.name}</strong>: {picked.rows.toLocaleString()} rows. Match each column:
          </p>
          <div className="form-row">
            {picked.headers.map((header, index) => (
              <Field key={`${header}-${index}`} label={`Column “${header}”`}>
                <select
                  className="select"
                  value={picked.mapping[index]}
                  onChange={(e) => setPicked({ ...picked, mapping: picked.mapping.map((m, i) => (i === index ? e.target.value : m)) })}
                >
                  <option value="">Keep as attribute “{header}”</option>
                  {KNOWN_COLUMNS.map((c) => <option key={c} value={c}>{c}</option>)}
                  {picked.mapping[index].startsWith('external_id.') && <option value={picked.mapping[index]}>{picked.mapping[index]}</option>}
                </select>
              </Field>
            ))}
          </div>
          {!hasPhone && <Notice tone="warning">Choose which column holds the phone number.</Notice>}
          <fieldset>
            <legend>Consent in this file applies to</legend>
            {['marketing', 'transactional', 'conversational'].map((t) => (
              <div className="checkbox" key={t}>
                <input id={`type-${t}`} type="checkbox" checked={types.includes(t)} onChange={(e) => setTypes(e.target.checked ? [...types, t] : types.filter((x) => x !== t))} />
                <label htmlFor={`type-${t}`}>{t}</label>
              </div>
            ))}
          </fieldset>
          <div className="form-row">
            <Field label="Disclosure they saw (optional)">
              <select className="select" value={disclosureId} onChange={(e) => setDisclosureId(e.target.value)}>
                <option value="">None</option>
                {disclosures.data?.data.map((d) => <option key={d.id} value={d.id}>Version {d.version}</option>)}
              </select>
            </Field>
            <Field label="Note kept as evidence (optional)">
              <input className="input" value={note} onChange={(e) => setNote(e.target.value)} placeholder="Spring sign-up sheets" />
            </Field>
          </div>
          {upload.isError && <Notice tone="danger">{errorMessage(upload.error)}</Notice>}
          <Button variant="primary" onClick={start} busy={upload.isPending} disabled={!hasPhone || types.length === 0}>
            Start import
          </Button>
        </>
      )}
    </Card>
  );
}

function ProgressCard({ id, rows }: { id: string; rows: number }) {
  const job = useImport(id);
  if (job.isPending) return <Card title="Import"><Spinner label="Starting…" /></Card>;
  if (job.isError) return <Card title="Import"><ErrorState message={errorMessage(job.error)} /></Card>;
  const j = job.data;
  const done = !isRunning(j);
  return (
    <Card title={`Importing ${j.fileName ?? 'file'}`} actions={<Badge tone={toneOf(j.status)}>{j.status}</Badge>}>
      <ProgressBar label="Rows imported" value={j.status === 'completed' ? rows : j.rowsRead} max={rows} />
      <Counts job={j} />
      {j.error && <Notice tone="danger">{j.error}</Notice>}
      {done && j.status === 'completed' && <Notice tone="success">Import finished: {j.rowsRead.toLocaleString()} rows read.</Notice>}
      {done && j.rejected + j.consentSkipped > 0 && <a className="btn btn--secondary" href={`/v1/imports/${j.id}/rejected`} download>Download rejected rows</a>}
    </Card>
  );
}

function Counts({ job }: { job: ImportJob }) {
  return (
    <KeyValues
      items={[
        ['Rows read', job.rowsRead.toLocaleString()],
        ['Created', job.created.toLocaleString()],
        ['Updated', job.updated.toLocaleString()],
        ['Rejected', job.rejected.toLocaleString()],
        ['Consent skipped', job.consentSkipped.toLocaleString()],
      ]}
    />
  );
}

function HistoryCard() {
  const imports = useImports();
  return (
    <Card title="Recent imports">
      {imports.isPending ? (
        <Spinner label="Loading imports…" />
      ) : imports.isError ? (
        <ErrorState message={errorMessage(imports.error)} onRetry={() => void imports.refetch()} />
      ) : imports.data.data.length === 0 ? (
        <EmptyState title="No imports yet" />
      ) : (
        <Table
          caption="Recent imports"
          rows={imports.data.data}
          rowKey={(j) => j.id}
          columns={[
            { header: 'File', cell: (j) => j.fileName ?? '—' },
            { header: 'Started', cell: (j) => formatDateTime(j.createdAt), secondary: true },
            { header: 'Status', cell: (j) => <Badge tone={toneOf(j.status)}>{j.status}</Badge> },
            { header: 'Rows', cell: (j) => `${j.rowsRead.toLocaleString()} read, ${j.created.toLocaleString()} new, ${j.rejected.toLocaleString()} rejected` },
            { header: 'Report', cell: (j) => (!isRunning(j) && j.rejected + j.consentSkipped > 0 ? <a href={`/v1/imports/${j.id}/rejected`} download>Rejected rows</a> : '—') },
          ]}
        />
      )}
    </Card>
  );
}
