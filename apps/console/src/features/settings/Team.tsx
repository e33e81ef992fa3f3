import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { api } from '../../api/client';
import { call, errorMessage } from '../../api/errors';
import { ROLES, type Invitation, type Role, type User } from '../../api/types';
import { Button, Card, ConfirmButton, CopyField, EmptyState, ErrorState, Field, Notice, Spinner, Table } from '../../components/ui';
import { applyServerErrors } from '../../forms/serverErrors';
import { formatDateTime } from '../../lib/format';
import { useCan, useMe } from '../auth/session';

const inviteSchema = z.object({ email: z.email('Enter their email address.'), role: z.enum(['admin', 'marketing', 'support', 'operations']) });
type InviteValues = z.infer<typeof inviteSchema>;

/** Team members and invitations (admins manage; everyone may see who is on the team). */
export function Team() {
  const me = useMe();
  const isAdmin = useCan('users:manage');
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: () => call<{ items: User[] }>(api.GET('/v1/users', {})) });
  const invitations = useQuery({ queryKey: ['invitations'], queryFn: () => call<{ items: Invitation[] }>(api.GET('/v1/invitations', {})), enabled: isAdmin });
  const changeRole = useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) => call(api.PATCH('/v1/users/{id}', { params: { path: { id } }, body: { role } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
  const removeUser = useMutation({
    mutationFn: (id: string) => call(api.DELETE('/v1/users/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
  const revokeInvite = useMutation({
    mutationFn: (id: string) => call(api.DELETE('/v1/invitations/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['invitations'] }),
  });
  return (
    <Card title="Team">
      {isAdmin && <InviteForm />}
      {[changeRole, removeUser, revokeInvite].map((m, i) => m.isError && <Notice key={i} tone="danger">{errorMessage(m.error)}</Notice>)}
      {users.isPending ? (
        <Spinner />
      ) : users.isError ? (
        <ErrorState message={errorMessage(users.error)} />
      ) : (
        <Table
          caption="Team members"
          rows={users.data.items}
          rowKey={(u) => u.id}
          columns={[
            { header: 'Name', cell: (u) => `${u.displayName}${u.id === me.data?.user.id ? ' (you)' : ''}` },
            { header: 'Email', cell: (u) => u.email },
            {
              header: 'Role',
              cell: (u) =>
                isAdmin && u.id !== me.data?.user.id ? (
                  <select className="select" aria-label={`Role of ${u.email}`} value={u.role} onChange={(e) => changeRole.mutate({ id: u.id, role: e.target.value as Role })}>
                    {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                  </select>
                ) : (
                  u.role
                ),
            },
            { header: 'Last sign-in', cell: (u) => formatDateTime(u.lastSignInAt), secondary: true },
            { header: 'Actions', cell: (u) => (isAdmin && u.id !== me.data?.user.id ? <ConfirmButton label="Remove" confirmLabel={`Remove ${u.email}`} question="They are signed out everywhere." onConfirm={() => removeUser.mutate(u.id)} /> : null) },
          ]}
        />
      )}
      {isAdmin && (
        <>
          <h3>Pending invitations</h3>
          {invitations.isPending ? (
            <Spinner />
          ) : invitations.isError ? (
            <ErrorState message={errorMessage(invitations.error)} />
          ) : invitations.data.items.length === 0 ? (
            <EmptyState title="No pending invitations" />
          ) : (
            <Table
              caption="Pending invitations"
              rows={invitations.data.items}
              rowKey={(i) => i.id}
              columns={[
                { header: 'Email', cell: (i) => i.email },
                { header: 'Role', cell: (i) => i.role },
                { header: 'Expires', cell: (i) => formatDateTime(i.expiresAt) },
                { header: 'Actions', cell: (i) => <Button variant="ghost" onClick={() => revokeInvite.mutate(i.id)}>Revoke</Button> },
              ]}
            />
          )}
        </>
      )}
    </Card>
  );
}

function InviteForm() {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<InviteValues>({ resolver: zodResolver(inviteSchema), defaultValues: { email: '', role: 'support' } });
  const invite = useMutation({
    mutationFn: (v: InviteValues) => call<Invitation>(api.POST('/v1/invitations', { body: v })),
    onSuccess: () => {
      form.reset();
      return queryClient.invalidateQueries({ queryKey: ['invitations'] });
    },
    onError: (error) => setFormError(applyServerErrors(error, form.setError, ['email', 'role'])),
  });
  return (
    <>
      {formError && <Notice tone="danger">{formError}</Notice>}
      <form noValidate className="form-row" onSubmit={form.handleSubmit((v) => { setFormError(null); invite.mutate(v); })}>
        <Field label="Invite by email" error={form.formState.errors.email?.message}>
          <input className="input" type="email" {...form.register('email')} />
        </Field>
        <Field label="Invite as">
          <select className="select" {...form.register('role')}>
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </Field>
        <div className="field" style={{ justifyContent: 'flex-end' }}>
          <Button type="submit" variant="primary" busy={invite.isPending}>Create invitation</Button>
        </div>
      </form>
      {invite.data?.url && (
        <Notice tone="success">
          <CopyField label={`Invitation link for ${invite.data.email} — send it to them; it is shown once`} value={invite.data.url} />
        </Notice>
      )}
    </>
  );
}
