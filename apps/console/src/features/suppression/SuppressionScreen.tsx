import { zodResolver } from '@hookform/resolvers/zod';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { api } from '../../api/client';
import { call, errorMessage } from '../../api/errors';
import type { Page, Suppression } from '../../api/types';
import { Button, Card, ConfirmButton, EmptyState, ErrorState, Field, Notice, PageHeader, Pager, Spinner, Table } from '../../components/ui';
import { applyServerErrors } from '../../forms/serverErrors';
import { formatDateTime } from '../../lib/format';
import { useCursor } from '../../lib/paging';
import { useCan } from '../auth/session';
import { NumberHygiene } from './NumberHygiene';

const suppressSchema = z.object({ phone: z.string().trim().min(4, 'Enter a phone number.'), reason: z.string().trim().min(1, 'Say why, for the record.') });
type SuppressValues = z.infer<typeof suppressSchema>;

/** Numbers never texted, whatever their consent (landlines, legal requests, litigators). */
export function SuppressionScreen() {
  const paging = useCursor();
  const canWrite = useCan('suppression:write');
  const list = useQuery({
    queryKey: ['suppression', paging.cursor ?? null],
    queryFn: () => call<Page<Suppression>>(api.GET('/v1/suppression', { params: { query: { cursor: paging.cursor, limit: 50 } as never } })),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader title="Suppression list" description="Numbers Optline never texts, whatever their consent." />
      {canWrite && <AddCard />}
      {canWrite && <ImportCard />}
      <NumberHygiene />
      <Card title="Suppressed numbers">
        {list.isPending ? (
          <Spinner label="Loading the list…" />
        ) : list.isError ? (
          <ErrorState message={errorMessage(list.error)} onRetry={() => void list.refetch()} />
        ) : list.data.data.length === 0 ? (
          <EmptyState title="No suppressed numbers" />
        ) : (
          <>
            <Table
              caption="Suppressed numbers"
              rows={list.data.data}
              rowKey={(s) => s.id}
              columns={[
                { header: 'Phone', cell: (s) => s.phone },
                { header: 'Reason', cell: (s) => s.reason },
                { header: 'Added', cell: (s) => formatDateTime(s.createdAt), secondary: true },
                { header: 'By', cell: (s) => s.actor ?? '—', secondary: true },
                { header: 'Actions', cell: (s) => (canWrite ? <RemoveButton phone={s.phone} /> : null) },
              ]}
            />
            <Pager isFirst={paging.page === 1} hasNext={Boolean(list.data.nextCursor)} onFirst={paging.first} onNext={() => paging.next(list.data.nextCursor)} />
          </>
        )}
      </Card>
    </>
  );
}

function AddCard() {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<SuppressValues>({ resolver: zodResolver(suppressSchema), defaultValues: { phone: '', reason: '' } });
  const add = useMutation({
    mutationFn: (values: SuppressValues) => call(api.POST('/v1/suppression', { body: values as never })),
    onSuccess: () => {
      form.reset();
      return queryClient.invalidateQueries({ queryKey: ['suppression'] });
    },
    onError: (error) => setFormError(applyServerErrors(error, form.setError, ['phone', 'reason'])),
  });
  return (
    <Card title="Suppress a number">
      {formError && <Notice tone="danger">{formError}</Notice>}
      <form noValidate onSubmit={form.handleSubmit((v) => { setFormError(null); add.mutate(v); })}>
        <div className="form-row">
          <Field label="Phone" error={form.formState.errors.phone?.message}>
            <input className="input" type="tel" {...form.register('phone')} />
          </Field>
          <Field label="Reason" error={form.formState.errors.reason?.message}>
            <input className="input" {...form.register('reason')} />
          </Field>
        </div>
        <Button type="submit" variant="primary" busy={add.isPending}>Suppress</Button>
      </form>
    </Card>
  );
}

function RemoveButton({ phone }: { phone: string }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => call(api.DELETE('/v1/suppression/{phone}', { params: { path: { phone } }, body: { reason: 'Removed in the console' } as never })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['suppression'] }),
  });
  return (
    <>
      <ConfirmButton label="Remove" confirmLabel={`Remove ${phone}`} question="Texts to this number will follow consent again." busy={remove.isPending} onConfirm={() => remove.mutate()} />
      {remove.isError && <span className="field__error">{errorMessage(remove.error)}</span>}
    </>
  );
}

interface SuppressionImportResult {
  rowsRead: number;
  added: number;
  alreadySuppressed: number;
  rejected: number;
  rejections: { line: number; reason: string }[];
}

/** A list of numbers (a CSV with a phone column) suppressed in one go, with one reason. */
function ImportCard() {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [reason, setReason] = useState('');
  const upload = useMutation({
    mutationFn: () =>
      call<SuppressionImportResult>(
        api.POST('/v1/suppression/import', {
          params: { query: { reason } as never },
          body: file as never,
          headers: { 'Content-Type': 'text/csv' },
          bodySerializer: (body: unknown) => body as BodyInit,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['suppression'] }),
  });
  return (
    <Card title="Suppress a list">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          upload.mutate();
        }}
      >
        <div className="form-row">
          <Field label="CSV file with a phone column">
            <input className="input" type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </Field>
          <Field label="Reason for the whole list">
            <input className="input" value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
        </div>
        <Button type="submit" busy={upload.isPending} disabled={!file || !reason.trim()}>Suppress the list</Button>
      </form>
      {upload.isError && <Notice tone="danger">{errorMessage(upload.error)}</Notice>}
      {upload.data && (
        <Notice tone={upload.data.rejected ? 'warning' : 'success'}>
          {upload.data.rowsRead} rows read: {upload.data.added} added, {upload.data.alreadySuppressed} already suppressed, {upload.data.rejected} rejected.
          {upload.data.rejections.length > 0 && (
            <ul>
              {upload.data.rejections.slice(0, 20).map((r) => <li key={r.line}>Line {r.line}: {r.reason}</li>)}
            </ul>
          )}
        </Notice>
      )}
    </Card>
  );
}
