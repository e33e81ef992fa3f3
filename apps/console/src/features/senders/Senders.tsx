import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { api } from '../../api/client';
import { call, errorMessage } from '../../api/errors';
import type { components } from '../../api/schema';
import { Badge, Button, Card, ConfirmButton, EmptyState, ErrorState, Field, Notice, Spinner, Table } from '../../components/ui';
import { applyServerErrors } from '../../forms/serverErrors';
import { useCan } from '../auth/session';

type Sender = components['schemas']['SenderResponseDto'];
type SenderList = components['schemas']['SenderListResponseDto'];
type BrandLimit = components['schemas']['SenderBrandLimitResponseDto'];
type Kind = Sender['kind'];
type Tier = NonNullable<BrandLimit['tenDlcTier']>;
type CarriedType = 'marketing' | 'transactional' | 'conversational';

const KINDS: { value: Kind; label: string; hint: string }[] = [
  { value: 'ten_dlc', label: '10DLC number', hint: 'A registered local number: its rate follows the brand tier above.' },
  { value: 'long_code', label: 'Long code (unregistered)', hint: '1 text a second.' },
  { value: 'toll_free', label: 'Toll-free number', hint: 'Verified: 3 texts a second unless you were granted more.' },
  { value: 'short_code', label: 'Short code', hint: '5–6 digits, 100 texts a second.' },
  { value: 'alphanumeric', label: 'Alphanumeric sender id', hint: 'One-way, where the country allows it: marketing and transactional only.' },
];
const KIND_LABEL = Object.fromEntries(KINDS.map((k) => [k.value, k.label])) as Record<Kind, string>;
const TYPES: CarriedType[] = ['marketing', 'transactional', 'conversational'];
const TIERS: { value: Tier | ''; label: string }[] = [
  { value: '', label: 'Not vetted yet (low volume)' },
  { value: 'sole_proprietor', label: 'Sole proprietor' },
  { value: 'low_volume', label: 'Low-volume standard' },
  { value: 'score_1_24', label: 'Trust score 1–24' },
  { value: 'score_25_49', label: 'Trust score 25–49' },
  { value: 'score_50_74', label: 'Trust score 50–74' },
  { value: 'score_75_100', label: 'Trust score 75–100' },
];

const number = new Intl.NumberFormat('en-US');

/** Settings → Senders: the workspace's numbers and ids, what each may carry, and the limits the hub holds them to (docs/senders.md). */
export function Senders() {
  const senders = useQuery({ queryKey: ['senders'], queryFn: () => call<SenderList>(api.GET('/v1/senders')) });
  const limit = useQuery({ queryKey: ['sender-brand-limit'], queryFn: () => call<BrandLimit>(api.GET('/v1/senders/brand-limit')) });
  const canWrite = useCan('settings:write');
  return (
    <Card title="Senders">
      <p className="muted">
        Each text leaves from a sender allowed to carry its type, the same one for the same person, and never faster than that sender may send. With no sender here, texts leave
        from the provider&apos;s own number.
      </p>
      {limit.isPending ? <Spinner /> : limit.isError ? <ErrorState message={errorMessage(limit.error)} onRetry={() => void limit.refetch()} /> : <BrandLimitForm limit={limit.data} canWrite={canWrite} />}
      {senders.isPending ? (
        <Spinner />
      ) : senders.isError ? (
        <ErrorState message={errorMessage(senders.error)} onRetry={() => void senders.refetch()} />
      ) : senders.data.data.length === 0 ? (
        <EmptyState title="No senders yet" />
      ) : (
        <SenderTable senders={senders.data.data} canWrite={canWrite} />
      )}
      {canWrite && <AddSender />}
    </Card>
  );
}

function BrandLimitForm({ limit, canWrite }: { limit: BrandLimit; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const [tier, setTier] = useState<Tier | ''>(limit.tenDlcTier ?? '');
  const [cap, setCap] = useState(limit.dailyCap === null ? '' : String(limit.dailyCap));
  const save = useMutation({
    mutationFn: () => call<BrandLimit>(api.PUT('/v1/senders/brand-limit', { body: { tenDlcTier: tier || null, dailyCap: cap.trim() === '' ? null : Number(cap) } as never })),
    onSuccess: (next) => {
      queryClient.setQueryData(['sender-brand-limit'], next);
      return queryClient.invalidateQueries({ queryKey: ['senders'] });
    },
  });
  return (
    <form
      aria-label="Brand limits"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <fieldset disabled={!canWrite}>
        <legend>Brand limits (10DLC)</legend>
        <div className="form-row">
          <Field label="10DLC tier" hint={`10DLC numbers send ${limit.tenDlcPerSecond} texts a second at this tier.`}>
            <select className="select" value={tier} onChange={(e) => setTier(e.target.value as Tier | '')}>
              {TIERS.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
            </select>
          </Field>
          <Field label="Daily cap" hint={`Texts a day through 10DLC numbers (UTC days). Now ${number.format(limit.effectiveDailyCap)}${limit.dailyCap === null ? ', the tier default' : ''}.`}>
            <input className="input" inputMode="numeric" value={cap} onChange={(e) => setCap(e.target.value)} placeholder="Tier default" />
          </Field>
          {canWrite && (
            <div className="field" style={{ justifyContent: 'flex-end' }}>
              <Button type="submit" busy={save.isPending}>Save limits</Button>
            </div>
          )}
        </div>
      </fieldset>
      {save.isError && <Notice tone="danger">{errorMessage(save.error)}</Notice>}
      {save.isSuccess && <Notice tone="success">Brand limits saved.</Notice>}
    </form>
  );
}

function SenderTable({ senders, canWrite }: { senders: Sender[]; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: (s: Sender) =>
      call<Sender>(api.PUT('/v1/senders/{id}', { params: { path: { id: s.id } }, body: { kind: s.kind, address: s.address, label: s.label, tier: s.tier, messagesPerSecond: s.messagesPerSecond, messageTypes: s.messageTypes, enabled: !s.enabled } as never })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['senders'] }),
  });
  const remove = useMutation({
    mutationFn: (id: string) => call(api.DELETE('/v1/senders/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['senders'] }),
  });
  return (
    <>
      {(toggle.isError || remove.isError) && <Notice tone="danger">{errorMessage(toggle.error ?? remove.error)}</Notice>}
      <Table
        caption="Senders"
        rows={senders}
        rowKey={(s) => s.id}
        columns={[
          { header: 'Sender', cell: (s) => <span><code>{s.address}</code>{s.label ? <span className="muted"> · {s.label}</span> : null}</span> },
          { header: 'Kind', cell: (s) => KIND_LABEL[s.kind] },
          { header: 'Carries', cell: (s) => s.messageTypes.join(', ') },
          { header: 'Rate', cell: (s) => `${s.effectivePerSecond}/s${s.messagesPerSecond === null ? ' (default)' : ''}${s.countsTowardsDailyCap ? ' · daily cap' : ''}` },
          { header: 'State', cell: (s) => (s.enabled ? <Badge tone="success">enabled</Badge> : <Badge tone="neutral">disabled</Badge>) },
          {
            header: 'Actions',
            cell: (s) =>
              canWrite ? (
                <div className="form-actions">
                  <Button variant="secondary" busy={toggle.isPending && toggle.variables?.id === s.id} onClick={() => toggle.mutate(s)}>{s.enabled ? 'Disable' : 'Enable'}</Button>
                  <ConfirmButton label="Remove" confirmLabel={`Remove ${s.address}`} question="Texts stop leaving from this sender." busy={remove.isPending} onConfirm={() => remove.mutate(s.id)} />
                </div>
              ) : null,
          },
        ]}
      />
    </>
  );
}

interface NewSender {
  kind: Kind;
  address: string;
  label: string;
  messagesPerSecond: string;
  types: CarriedType[];
}

function AddSender() {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<NewSender>({ defaultValues: { kind: 'ten_dlc', address: '', label: '', messagesPerSecond: '', types: ['marketing', 'transactional'] } });
  const kind = form.watch('kind');
  const create = useMutation({
    mutationFn: (v: NewSender) =>
      call<Sender>(
        api.POST('/v1/senders', {
          body: {
            kind: v.kind,
            address: v.address.trim(),
            label: v.label.trim() || null,
            tier: v.kind === 'toll_free' ? 'verified' : null,
            messagesPerSecond: v.messagesPerSecond.trim() ? Number(v.messagesPerSecond) : null,
            messageTypes: v.types,
          } as never,
        }),
      ),
    onSuccess: () => {
      form.reset();
      return queryClient.invalidateQueries({ queryKey: ['senders'] });
    },
    onError: (error) => setFormError(applyServerErrors(error, form.setError, ['kind', 'address', 'label', 'messagesPerSecond', 'types'], { messageTypes: 'types' })),
  });
  const { errors } = form.formState;
  return (
    <form
      aria-label="Add a sender"
      noValidate
      onSubmit={form.handleSubmit((v) => {
        setFormError(null);
        create.mutate(v);
      })}
    >
      <fieldset>
        <legend>Add a sender</legend>
        {formError && <Notice tone="danger">{formError}</Notice>}
        <div className="form-row">
          <Field label="Kind" hint={KINDS.find((k) => k.value === kind)?.hint}>
            <select className="select" {...form.register('kind')}>
              {KINDS.map((k) => <option key={k.value} value={k.value}>{k.label}</option>)}
            </select>
          </Field>
          <Field label="Number or id" hint="E.164 (+13125550100), short code digits, or up to 11 letters" error={errors.address?.message}>
            <input className="input" {...form.register('address', { required: 'Enter the number or id' })} />
          </Field>
          <Field label="Label" error={errors.label?.message}>
            <input className="input" {...form.register('label')} placeholder="Main store line" />
          </Field>
          <Field label="Granted rate (texts/s)" hint="Leave empty for the kind's default" error={errors.messagesPerSecond?.message}>
            <input className="input" inputMode="decimal" {...form.register('messagesPerSecond')} />
          </Field>
        </div>
        <fieldset>
          <legend>May carry</legend>
          {TYPES.map((t) => (
            <div className="checkbox" key={t}>
              <input id={`sender-type-${t}`} type="checkbox" value={t} {...form.register('types', { validate: (v) => v.length > 0 || 'Pick at least one type' })} />
              <label htmlFor={`sender-type-${t}`}>{t}</label>
            </div>
          ))}
        </fieldset>
        {errors.types?.message && <p className="field__error" role="alert">{errors.types.message}</p>}
        <Button type="submit" variant="primary" busy={create.isPending}>Add sender</Button>
      </fieldset>
    </form>
  );
}
