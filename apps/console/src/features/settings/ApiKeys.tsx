import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { call, errorMessage } from '../../api/errors';
import { ROLES, type ApiKey, type Page, type Role } from '../../api/types';
import { Badge, Button, Card, ConfirmButton, CopyField, EmptyState, ErrorState, Field, Notice, Spinner, Table } from '../../components/ui';
import { formatDateTime } from '../../lib/format';

/** Workspace API keys for integrations: the key is shown once, at creation. */
export function ApiKeys() {
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => call<Page<ApiKey>>(api.GET('/v1/api-keys')) });
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('operations');
  const create = useMutation({
    mutationFn: () => call<ApiKey>(api.POST('/v1/api-keys', { body: { name, role } })),
    onSuccess: () => {
      setName('');
      return queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => call(api.DELETE('/v1/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  return (
    <Card title="API keys">
      <form className="form-row" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
        <Field label="Key name"><input className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="Order system" required /></Field>
        <Field label="Role">
          <select className="select" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </Field>
        <div className="field" style={{ justifyContent: 'flex-end' }}>
          <Button type="submit" busy={create.isPending} disabled={!name.trim()}>Create key</Button>
        </div>
      </form>
      {create.isError && <Notice tone="danger">{errorMessage(create.error)}</Notice>}
      {create.data?.key && (
        <Notice tone="success">
          <CopyField label={`New key “${create.data.name}” — copy it now, it is not shown again`} value={create.data.key} />
        </Notice>
      )}
      {revoke.isError && <Notice tone="danger">{errorMessage(revoke.error)}</Notice>}
      {keys.isPending ? (
        <Spinner />
      ) : keys.isError ? (
        <ErrorState message={errorMessage(keys.error)} />
      ) : keys.data.data.length === 0 ? (
        <EmptyState title="No API keys" />
      ) : (
        <Table
          caption="API keys"
          rows={keys.data.data}
          rowKey={(k) => k.id}
          columns={[
            { header: 'Name', cell: (k) => k.name },
            { header: 'Role', cell: (k) => k.role },
            { header: 'Key', cell: (k) => <code>{k.prefix}…</code>, secondary: true },
            { header: 'Last used', cell: (k) => formatDateTime(k.lastUsedAt), secondary: true },
            { header: 'State', cell: (k) => (k.revokedAt ? <Badge tone="danger">revoked</Badge> : <Badge tone="success">active</Badge>) },
            { header: 'Actions', cell: (k) => (k.revokedAt ? null : <ConfirmButton label="Revoke" confirmLabel={`Revoke ${k.name}`} question="Calls with this key stop working at once." busy={revoke.isPending} onConfirm={() => revoke.mutate(k.id)} />) },
          ]}
        />
      )}
    </Card>
  );
}
