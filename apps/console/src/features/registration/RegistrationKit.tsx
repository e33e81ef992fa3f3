import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { api } from '../../api/client';
import { call, errorMessage } from '../../api/errors';
import type { components } from '../../api/schema';
import { Button, Card, ErrorState, Field, Notice, Spinner } from '../../components/ui';
import { applyServerErrors } from '../../forms/serverErrors';
import { useCan } from '../auth/session';

type BrandProfile = components['schemas']['BrandProfileResponseDto'];
type Kit = components['schemas']['RegistrationKitResponseDto'];

const FIELDS = [
  ['legalName', 'Legal name', 'Exactly as on your tax registration.'],
  ['brandName', 'Registered brand', 'The name your texts are signed with.'],
  ['country', 'Country', 'Two letters, e.g. US.'],
  ['taxId', 'Tax id', 'US EIN: 12-3456789; CA: 9-digit BN; GB: company or VAT number.'],
  ['website', 'Website', 'https:// — check it loads; the hub cannot.'],
  ['privacyUrl', 'Privacy policy', 'https:// link'],
  ['termsUrl', 'Terms', 'https:// link'],
  ['contactName', 'Contact name', undefined],
  ['contactEmail', 'Contact email', undefined],
  ['contactPhone', 'Contact phone', 'E.164, e.g. +14155550100'],
] as const;
type FieldName = (typeof FIELDS)[number][0];
type Values = Record<FieldName, string>;
const NAMES = FIELDS.map(([name]) => name);

const toValues = (p: BrandProfile): Values => Object.fromEntries(NAMES.map((n) => [n, p[n] ?? ''])) as Values;

/** Sender registration (10DLC): the brand profile form, and the kit built from the active flows with what would get it rejected. */
export function RegistrationKit() {
  const profile = useQuery({ queryKey: ['brand-profile'], queryFn: () => call<BrandProfile>(api.GET('/v1/brand-profile')) });
  return (
    <>
      {profile.isPending ? <Card title="Sender registration"><Spinner /></Card> : profile.isError ? <Card title="Sender registration"><ErrorState message={errorMessage(profile.error)} onRetry={() => void profile.refetch()} /></Card> : <ProfileForm profile={profile.data} />}
      <KitView />
    </>
  );
}

function ProfileForm({ profile }: { profile: BrandProfile }) {
  const canWrite = useCan('settings:write');
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({ defaultValues: toValues(profile) });
  useEffect(() => form.reset(toValues(profile)), [profile, form]);
  const save = useMutation({
    mutationFn: (v: Values) => call<BrandProfile>(api.PUT('/v1/brand-profile', { body: Object.fromEntries(NAMES.map((n) => [n, v[n].trim() || null])) as never })),
    onSuccess: (next) => {
      queryClient.setQueryData(['brand-profile'], next);
      void queryClient.invalidateQueries({ queryKey: ['registration-kit'] });
    },
    onError: (error) => setFormError(applyServerErrors(error, form.setError, NAMES)),
  });
  const { errors } = form.formState;
  return (
    <Card title="Sender registration">
      {formError && <Notice tone="danger">{formError}</Notice>}
      {save.isSuccess && !form.formState.isDirty && <Notice tone="success">Brand profile saved.</Notice>}
      <form noValidate onSubmit={form.handleSubmit((v) => { setFormError(null); save.mutate(v, { onSuccess: (next) => form.reset(toValues(next)) }); })}>
        <fieldset disabled={!canWrite}>
          <legend>Brand profile</legend>
          <div className="form-row">
            {FIELDS.map(([name, label, hint]) => (
              <Field key={name} label={label} hint={hint} error={errors[name]?.message}><input className="input" {...form.register(name)} /></Field>
            ))}
          </div>
        </fieldset>
        {profile.missing.length > 0 && <p className="muted">Still missing: {profile.missing.join(', ')}</p>}
        {canWrite ? <Button type="submit" variant="primary" busy={save.isPending}>Save brand profile</Button> : <p className="muted">Only admins change the brand profile.</p>}
      </form>
    </Card>
  );
}

function KitView() {
  const kit = useQuery({ queryKey: ['registration-kit'], queryFn: () => call<Kit>(api.GET('/v1/registration-kit', { params: { query: {} } })) });
  if (kit.isPending) return <Card title="Registration kit"><Spinner /></Card>;
  if (kit.isError) return <Card title="Registration kit"><ErrorState message={errorMessage(kit.error)} onRetry={() => void kit.refetch()} /></Card>;
  const { campaigns, findings } = kit.data;
  return (
    <Card title="Registration kit" actions={<a className="btn btn--secondary" href="/v1/registration-kit?format=csv" download>Download CSV</a>}>
      {findings.length === 0 ? (
        <Notice tone="success">Nothing found that vetting would reject.</Notice>
      ) : (
        <ul aria-label="Findings">
          {findings.map((f, i) => (
            <li key={i}><strong>{f.code}</strong>{f.flowName ? ` — ${f.flowName} / ${f.stepId}` : f.useCase ? ` — ${f.useCase}` : ''}: {f.message}</li>
          ))}
        </ul>
      )}
      {campaigns.length === 0 && <p className="muted">No active flow sends messages yet.</p>}
      {campaigns.map((c) => (
        <section key={c.useCase} aria-label={`Campaign ${c.useCase}`}>
          <h3>{c.useCase}</h3>
          <p>{c.description}</p>
          <p><strong>Message flow:</strong> {c.messageFlow}</p>
          <p><strong>Senders:</strong> {c.senders.length > 0 ? c.senders.join(', ') : 'none set up (Senders below)'}</p>
          <ol aria-label={`Samples for ${c.useCase}`}>
            {c.samples.map((s) => <li key={`${s.flowId}-${s.stepId}`}>{s.text}</li>)}
          </ol>
          <p><strong>Opt-out</strong> ({c.optOutKeywords.slice(0, 4).join(', ')}…): {c.optOutReply}</p>
          <p><strong>Help</strong> ({c.helpKeywords.join(', ')}): {c.helpReply}</p>
        </section>
      ))}
    </Card>
  );
}
