import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { api } from '../../api/client';
import { call, errorMessage } from '../../api/errors';
import type { Workspace } from '../../api/types';
import { Button, Card, ErrorState, Field, Notice, Spinner } from '../../components/ui';
import { applyServerErrors } from '../../forms/serverErrors';
import { useCan } from '../auth/session';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM, e.g. 08:00.');
const optional = z.string().trim().optional();

const workspaceSchema = z.object({
  name: z.string().trim().min(1, 'Name the workspace.'),
  brandName: z.string().trim().min(1, 'Customers see this name in texts.'),
  supportEmail: optional,
  supportPhone: optional,
  supportUrl: optional,
  timeZone: z.string().trim().min(1, 'Choose a time zone.'),
  quietStart: time,
  quietEnd: time,
  exemptTransactional: z.boolean(),
  capEnabled: z.boolean(),
  capCount: z.number('Enter a number.').int().min(1, 'At least 1.'),
  capWindowHours: z.number('Enter a number.').int().min(1, 'At least 1 hour.'),
  optOutFooter: z.string().trim().min(1, 'Say how to opt out, e.g. “Reply STOP to opt out.”'),
});
type WorkspaceValues = z.infer<typeof workspaceSchema>;
const FIELDS = ['name', 'brandName', 'supportEmail', 'supportPhone', 'supportUrl', 'timeZone', 'quietStart', 'quietEnd', 'capCount', 'capWindowHours', 'optOutFooter'] as const;
const SERVER_FIELDS = { 'quietHours.start': 'quietStart', 'quietHours.end': 'quietEnd', 'frequencyCap.count': 'capCount', 'frequencyCap.windowHours': 'capWindowHours' };

function toValues(w: Workspace): WorkspaceValues {
  return {
    name: w.name,
    brandName: w.brandName,
    supportEmail: w.supportEmail ?? '',
    supportPhone: w.supportPhone ?? '',
    supportUrl: w.supportUrl ?? '',
    timeZone: w.timeZone,
    quietStart: w.quietHours.start,
    quietEnd: w.quietHours.end,
    exemptTransactional: w.quietHours.exemptTransactional,
    capEnabled: Boolean(w.frequencyCap),
    capCount: w.frequencyCap?.count ?? 3,
    capWindowHours: w.frequencyCap?.windowHours ?? 24,
    optOutFooter: w.optOutFooter,
  };
}

export function useWorkspace() {
  return useQuery({ queryKey: ['workspace'], queryFn: () => call<Workspace>(api.GET('/v1/workspace')) });
}

/** Brand and support details, quiet hours and the frequency cap. */
export function WorkspaceForm() {
  const workspace = useWorkspace();
  if (workspace.isPending) return <Card title="Workspace"><Spinner /></Card>;
  if (workspace.isError) return <Card title="Workspace"><ErrorState message={errorMessage(workspace.error)} onRetry={() => void workspace.refetch()} /></Card>;
  return <Form workspace={workspace.data} />;
}

function Form({ workspace }: { workspace: Workspace }) {
  const canWrite = useCan('settings:write');
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<WorkspaceValues>({ resolver: zodResolver(workspaceSchema), defaultValues: toValues(workspace) });
  useEffect(() => form.reset(toValues(workspace)), [workspace, form]);
  const save = useMutation({
    mutationFn: (v: WorkspaceValues) =>
      call<Workspace>(
        api.PATCH('/v1/workspace', {
          body: {
            name: v.name,
            brandName: v.brandName,
            ...(v.supportEmail && { supportEmail: v.supportEmail }),
            ...(v.supportPhone && { supportPhone: v.supportPhone }),
            ...(v.supportUrl && { supportUrl: v.supportUrl }),
            timeZone: v.timeZone,
            quietHours: { start: v.quietStart, end: v.quietEnd, exemptTransactional: v.exemptTransactional },
            frequencyCap: v.capEnabled ? { count: v.capCount, windowHours: v.capWindowHours, types: ['marketing'] } : null,
            optOutFooter: v.optOutFooter,
          } as never,
        }),
      ),
    onSuccess: (next) => {
      queryClient.setQueryData(['workspace'], next);
      void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
    onError: (error) => setFormError(applyServerErrors(error, form.setError, FIELDS, SERVER_FIELDS)),
  });
  const { errors } = form.formState;
  return (
    <Card title="Workspace">
      {formError && <Notice tone="danger">{formError}</Notice>}
      {save.isSuccess && !form.formState.isDirty && <Notice tone="success">Saved.</Notice>}
      <form noValidate onSubmit={form.handleSubmit((v) => { setFormError(null); save.mutate(v, { onSuccess: (next) => form.reset(toValues(next)) }); })}>
        <fieldset disabled={!canWrite}>
          <legend>Brand and support</legend>
          <div className="form-row">
            <Field label="Workspace name" error={errors.name?.message}><input className="input" {...form.register('name')} /></Field>
            <Field label="Brand name" hint="Named in every text." error={errors.brandName?.message}><input className="input" {...form.register('brandName')} /></Field>
            <Field label="Support email" error={errors.supportEmail?.message}><input className="input" type="email" {...form.register('supportEmail')} /></Field>
            <Field label="Support phone" error={errors.supportPhone?.message}><input className="input" type="tel" {...form.register('supportPhone')} /></Field>
            <Field label="Support page" error={errors.supportUrl?.message}><input className="input" type="url" {...form.register('supportUrl')} /></Field>
            <Field label="Opt-out footer" error={errors.optOutFooter?.message}><input className="input" {...form.register('optOutFooter')} /></Field>
          </div>
        </fieldset>
        <fieldset disabled={!canWrite}>
          <legend>Quiet hours</legend>
          <p className="field__hint">Marketing texts wait outside these hours, in the recipient’s time zone.</p>
          <div className="form-row">
            <Field label="Sending starts" error={errors.quietStart?.message}><input className="input" type="time" {...form.register('quietStart')} /></Field>
            <Field label="Sending ends" error={errors.quietEnd?.message}><input className="input" type="time" {...form.register('quietEnd')} /></Field>
            <Field label="Workspace time zone" error={errors.timeZone?.message}><input className="input" {...form.register('timeZone')} /></Field>
          </div>
          <div className="checkbox">
            <input id="exempt" type="checkbox" {...form.register('exemptTransactional')} />
            <label htmlFor="exempt">Transactional texts may go out at any hour</label>
          </div>
        </fieldset>
        <fieldset disabled={!canWrite}>
          <legend>Frequency cap</legend>
          <div className="checkbox">
            <input id="cap" type="checkbox" {...form.register('capEnabled')} />
            <label htmlFor="cap">Limit marketing texts per person</label>
          </div>
          <div className="form-row">
            <Field label="At most (texts)" error={errors.capCount?.message}><input className="input" type="number" min={1} {...form.register('capCount', { valueAsNumber: true })} /></Field>
            <Field label="Per (hours)" error={errors.capWindowHours?.message}><input className="input" type="number" min={1} {...form.register('capWindowHours', { valueAsNumber: true })} /></Field>
          </div>
        </fieldset>
        {canWrite ? <Button type="submit" variant="primary" busy={save.isPending}>Save settings</Button> : <p className="muted">Only admins change these settings.</p>}
      </form>
    </Card>
  );
}
