import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { z } from 'zod';
import { api } from '../../api/client';
import { call, errorMessage } from '../../api/errors';
import type { Group } from '../../api/types';
import { Badge, Button, Card, ConfirmButton, EmptyState, ErrorState, Field, Notice, PageHeader, Spinner, Table } from '../../components/ui';
import { applyServerErrors } from '../../forms/serverErrors';
import { useCan } from '../auth/session';
import { useGroups } from '../contacts/api';

const groupSchema = z.object({ name: z.string().trim().min(1, 'Name the group.').max(120), description: z.string().max(500).optional() });
type GroupValues = z.infer<typeof groupSchema>;

export function GroupsScreen() {
  const groups = useGroups();
  const canWrite = useCan('contacts:write');
  return (
    <>
      <PageHeader title="Groups" description="Lists of contacts to enrol in flows and campaigns. System groups follow consent by themselves." />
      {canWrite && <CreateGroup />}
      <Card title="All groups">
        {groups.isPending ? (
          <Spinner label="Loading groups…" />
        ) : groups.isError ? (
          <ErrorState message={errorMessage(groups.error)} onRetry={() => void groups.refetch()} />
        ) : groups.data.data.length === 0 ? (
          <EmptyState title="No groups yet" />
        ) : (
          <Table
            caption="Groups"
            rows={groups.data.data}
            rowKey={(g) => g.id}
            columns={[
              { header: 'Name', cell: (g) => <Link to={`/contacts?group=${g.id}`}>{g.name}</Link> },
              { header: 'Kind', cell: (g) => (g.system ? <Badge tone="info">system</Badge> : <Badge>{g.kind}</Badge>) },
              { header: 'Members', cell: (g) => g.memberCount.toLocaleString() },
              { header: 'Description', cell: (g) => g.description ?? '—', secondary: true },
              { header: 'Actions', cell: (g) => (canWrite && !g.system ? <DeleteGroup group={g} /> : null) },
            ]}
          />
        )}
      </Card>
    </>
  );
}

function CreateGroup() {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<GroupValues>({ resolver: zodResolver(groupSchema), defaultValues: { name: '', description: '' } });
  const create = useMutation({
    mutationFn: (values: GroupValues) => call<Group>(api.POST('/v1/groups', { body: { name: values.name, description: values.description || null } as never })),
    onSuccess: () => {
      form.reset();
      return queryClient.invalidateQueries({ queryKey: ['groups'] });
    },
    onError: (error) => setFormError(applyServerErrors(error, form.setError, ['name', 'description'])),
  });
  return (
    <Card title="New group">
      {formError && <Notice tone="danger">{formError}</Notice>}
      <form noValidate onSubmit={form.handleSubmit((v) => { setFormError(null); create.mutate(v); })}>
        <div className="form-row">
          <Field label="Name" error={form.formState.errors.name?.message}>
            <input className="input" {...form.register('name')} />
          </Field>
          <Field label="Description (optional)" error={form.formState.errors.description?.message}>
            <input className="input" {...form.register('description')} />
          </Field>
        </div>
        <Button type="submit" variant="primary" busy={create.isPending}>Create group</Button>
      </form>
    </Card>
  );
}

function DeleteGroup({ group }: { group: Group }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => call(api.DELETE('/v1/groups/{id}', { params: { path: { id: group.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['groups'] }),
  });
  return (
    <>
      <ConfirmButton label="Delete" confirmLabel={`Delete ${group.name}`} question="Contacts stay; only the list goes." busy={remove.isPending} onConfirm={() => remove.mutate()} />
      {remove.isError && <span className="field__error">{errorMessage(remove.error)}</span>}
    </>
  );
}
