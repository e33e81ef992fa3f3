import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { call, errorMessage } from '../../api/errors';
import { Button, Card, ConfirmButton, EmptyState, ErrorState, Field, Notice, PageHeader, Spinner, Table } from '../../components/ui';
import { useCan } from '../auth/session';
import { Segment, useSegmentPreview, useSegments } from './api';
import { ConditionRow, FIELDS, kindOf, OPERATORS, toRule } from './conditions';

export function SegmentsScreen() {
  const segments = useSegments();
  const canWrite = useCan('flows:write');
  return (
    <>
      <PageHeader title="Segments" description="Saved audiences defined by conditions: evaluated whenever a campaign uses them, so they are always current." />
      {canWrite && <SegmentBuilder />}
      <Card title="Saved segments">
        {segments.isPending ? (
          <Spinner label="Loading segments…" />
        ) : segments.isError ? (
          <ErrorState message={errorMessage(segments.error)} onRetry={() => void segments.refetch()} />
        ) : segments.data.data.length === 0 ? (
          <EmptyState title="No segments yet" />
        ) : (
          <Table
            caption="Segments"
            rows={segments.data.data}
            rowKey={(s) => s.id}
            columns={[
              { header: 'Name', cell: (s) => s.name },
              { header: 'Contacts now', cell: (s) => <SegmentCount segment={s} /> },
              { header: 'Conditions', cell: (s) => <code>{JSON.stringify(s.conditions)}</code>, secondary: true },
              { header: 'Actions', cell: (s) => (canWrite ? <DeleteSegment segment={s} /> : null) },
            ]}
          />
        )}
      </Card>
    </>
  );
}

function SegmentCount({ segment }: { segment: Segment }) {
  const count = useSegmentPreview(segment.conditions);
  return <span>{count.data ? count.data.count.toLocaleString() : '…'}</span>;
}

/** Debounces a value so typing does not send a count per keystroke. */
function useDebounced<T>(value: T, ms: number): T {
  const [current, setCurrent] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setCurrent(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return current;
}

const EMPTY_ROW: ConditionRow = { field: 'consent.marketing', operator: '==', value: 'opted_in' };

function SegmentBuilder() {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [match, setMatch] = useState<'all' | 'any'>('all');
  const [rows, setRows] = useState<ConditionRow[]>([EMPTY_ROW]);
  const [error, setError] = useState<string | null>(null);
  const rule = useDebounced(toRule(rows, match), 300);
  const preview = useSegmentPreview(rule);
  const save = useMutation({
    mutationFn: () => call<Segment>(api.POST('/v1/segments', { body: { name, conditions: rule } as never })),
    onSuccess: () => {
      setName('');
      setRows([EMPTY_ROW]);
      return queryClient.invalidateQueries({ queryKey: ['segments'] });
    },
    onError: (e) => setError(errorMessage(e)),
  });
  const update = (i: number, patch: Partial<ConditionRow>) => setRows(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  return (
    <Card title="New segment">
      {error && <Notice tone="danger">{error}</Notice>}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          if (!name.trim()) return setError('Name the segment.');
          if (!rule) return setError('Add at least one complete condition.');
          save.mutate();
        }}
      >
        <div className="form-row">
          <Field label="Name">
            <input className="input" value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field label="Match">
            <select className="input" value={match} onChange={(e) => setMatch(e.target.value as 'all' | 'any')}>
              <option value="all">all conditions</option>
              <option value="any">any condition</option>
            </select>
          </Field>
        </div>
        {rows.map((row, i) => (
          <div className="form-row" key={i} data-testid="condition-row">
            <Field label={`Condition ${i + 1}`}>
              <select className="input" value={row.field} onChange={(e) => update(i, { field: e.target.value, operator: OPERATORS[kindOf(e.target.value)][0].value, value: '' })}>
                {FIELDS.map((f) => (
                  <option key={f.value} value={f.value}>{f.label}</option>
                ))}
              </select>
            </Field>
            <Field label="Operator">
              <select className="input" value={row.operator} onChange={(e) => update(i, { operator: e.target.value })}>
                {OPERATORS[kindOf(row.field)].map((o) => (
                  <option key={o.value} value={o.value}>{o.label}</option>
                ))}
              </select>
            </Field>
            <Field label="Value">
              {kindOf(row.field) === 'consent' ? (
                <select className="input" value={row.value} onChange={(e) => update(i, { value: e.target.value })}>
                  <option value="">choose…</option>
                  {['opted_in', 'opted_out', 'pending', 'none'].map((s) => (
                    <option key={s} value={s}>{s.replace('_', ' ')}</option>
                  ))}
                </select>
              ) : kindOf(row.field) === 'boolean' ? (
                <select className="input" value={row.value || 'true'} onChange={(e) => update(i, { value: e.target.value })}>
                  <option value="true">yes</option>
                  <option value="false">no</option>
                </select>
              ) : (
                <input className="input" value={row.value} onChange={(e) => update(i, { value: e.target.value })} />
              )}
            </Field>
            <Button onClick={() => setRows(rows.filter((_, k) => k !== i))} disabled={rows.length === 1}>Remove</Button>
          </div>
        ))}
        <p aria-live="polite" data-testid="segment-count">
          {rule === null ? 'Complete a condition to see the count.' : preview.isError ? errorMessage(preview.error) : preview.data ? `${preview.data.count.toLocaleString()} contacts match now` : 'Counting…'}
        </p>
        <Button onClick={() => setRows([...rows, { ...EMPTY_ROW, value: '' }])}>Add condition</Button>{' '}
        <Button type="submit" variant="primary" busy={save.isPending}>Save segment</Button>
      </form>
    </Card>
  );
}

function DeleteSegment({ segment }: { segment: Segment }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => call(api.DELETE('/v1/segments/{id}', { params: { path: { id: segment.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['segments'] }),
  });
  return <ConfirmButton label="Delete" confirmLabel={`Delete ${segment.name}`} question="Campaigns already sending keep their audience." busy={remove.isPending} onConfirm={() => remove.mutate()} />;
}
