import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { ApiError, call, errorMessage } from '../../api/errors';
import { Badge, Button, Card, ConfirmButton, CopyField, ErrorState, Field, KeyValues, Notice, Spinner } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useCan } from '../auth/session';

interface LinkDomainView {
  domain: string | null;
  verified: boolean;
  verifiedAt: string | null;
  checkedAt: string | null;
  checkError: string | null;
  fallbackBaseUrl: string;
  dns: { type: string; name: string; value: string } | null;
  verificationUrl: string | null;
  verificationToken: string | null;
}

const KEY = ['link-domain'];

/** The workspace's own short-link domain: set it, point it at the hub, check it (docs/messaging.md, "Branded link domains"). */
export function LinkDomain() {
  const queryClient = useQueryClient();
  const canWrite = useCan('settings:write');
  const view = useQuery({ queryKey: KEY, queryFn: () => call<LinkDomainView>(api.GET('/v1/link-domain')) });
  const [domain, setDomain] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const onSaved = (next: LinkDomainView) => queryClient.setQueryData(KEY, next);
  const save = useMutation({
    mutationFn: () => call<LinkDomainView>(api.PUT('/v1/link-domain', { body: { domain } })),
    onSuccess: (next) => {
      setDomain('');
      setFieldError(null);
      onSaved(next);
    },
    onError: (error) => setFieldError(error instanceof ApiError ? (error.details.find((d) => d.field === 'domain')?.message ?? errorMessage(error)) : errorMessage(error)),
  });
  const verify = useMutation({ mutationFn: () => call<LinkDomainView>(api.POST('/v1/link-domain/verify')), onSuccess: onSaved });
  const remove = useMutation({ mutationFn: () => call<LinkDomainView>(api.DELETE('/v1/link-domain')), onSuccess: onSaved });

  if (view.isPending) return <Card title="Link domain"><Spinner /></Card>;
  if (view.isError) return <Card title="Link domain"><ErrorState message={errorMessage(view.error)} onRetry={() => void view.refetch()} /></Card>;
  const d = view.data;
  return (
    <Card title="Link domain" actions={d.domain && <Badge tone={d.verified ? 'success' : 'warning'}>{d.verified ? 'Verified' : 'Not verified'}</Badge>}>
      <p className="muted">
        Short links in your texts use {d.verified && d.domain ? <strong>https://{d.domain}</strong> : <strong>{d.fallbackBaseUrl}</strong>}. Use your own domain (a subdomain such as go.yourbrand.com) so people see your brand, not a shared shortener; on it, only this workspace’s links open.
      </p>
      {d.domain && d.dns && (
        <>
          <h3>Point {d.domain} at the hub</h3>
          <p>At your DNS provider, add this record (or route the name to the proxy in front of the hub, with a TLS certificate for it):</p>
          <KeyValues items={[['Type', d.dns.type], ['Name', d.dns.name], ['Value', d.dns.value]]} />
          <p>
            Then check it: the hub asks <code>{d.verificationUrl}</code>, which answers <code>{d.verificationToken}</code> by itself once the domain reaches this hub.{!d.verified && <> Until then links keep using {d.fallbackBaseUrl}.</>}
          </p>
          <KeyValues
            items={[
              ['Verified', d.verified ? formatDateTime(d.verifiedAt) : 'not yet'],
              ['Last check', formatDateTime(d.checkedAt)],
            ]}
          />
          {d.checkError && <Notice tone="danger">Last check: {d.checkError}</Notice>}
          {canWrite && (
            <div className="form-actions">
              <Button variant="primary" busy={verify.isPending} onClick={() => verify.mutate()}>Check the domain</Button>
              <ConfirmButton label="Stop using this domain" confirmLabel="Yes, stop" question="New links use the hub’s address again; links already sent on this domain stop opening once it no longer reaches the hub." busy={remove.isPending} onConfirm={() => remove.mutate()} />
            </div>
          )}
          {verify.isError && <Notice tone="danger">{errorMessage(verify.error)}</Notice>}
          {d.verificationToken && <CopyField label="Verification token" value={d.verificationToken} />}
        </>
      )}
      {canWrite && (
        <form className="form-row" onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
          <Field label={d.domain ? 'Change the domain' : 'Your link domain'} error={fieldError ?? undefined}>
            <input className="input" value={domain} onChange={(e) => setDomain(e.target.value)} placeholder="go.yourbrand.com" />
          </Field>
          <div className="field" style={{ justifyContent: 'flex-end' }}>
            <Button type="submit" busy={save.isPending} disabled={!domain.trim()}>Save domain</Button>
          </div>
        </form>
      )}
    </Card>
  );
}
