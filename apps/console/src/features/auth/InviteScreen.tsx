import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import { ApiError, call, errorMessage } from '../../api/errors';
import { Button, ErrorState, Field, Notice, Spinner } from '../../components/ui';
import { applyServerErrors } from '../../forms/serverErrors';
import { AuthLayout } from './AuthLayout';
import { acceptSchema, type AcceptValues } from './schema';
import { sessionKeys } from './session';

/** An invitation link (`/invite/<token>`): name and password, then straight into the workspace. */
export function InviteScreen() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const invitation = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => call<{ email: string; role: string; workspaceName: string }>(api.GET('/v1/invitations/accept/{token}', { params: { path: { token } } })),
  });
  const form = useForm<AcceptValues>({ resolver: zodResolver(acceptSchema), defaultValues: { displayName: '', password: '' } });
  const accept = useMutation({
    mutationFn: (values: AcceptValues) => call(api.POST('/v1/invitations/accept/{token}', { params: { path: { token } }, body: values })),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: sessionKeys.me });
      navigate('/', { replace: true });
    },
    onError: (error) => setFormError(applyServerErrors(error, form.setError, ['displayName', 'password'])),
  });
  if (invitation.isPending) return <Spinner />;
  if (invitation.isError) {
    const gone = invitation.error instanceof ApiError && [404, 410].includes(invitation.error.status);
    return (
      <AuthLayout title="Invitation">
        <ErrorState message={gone ? 'This invitation link has expired or was already used. Ask an admin for a new one.' : errorMessage(invitation.error)} />
        <Link to="/sign-in">Go to sign-in</Link>
      </AuthLayout>
    );
  }
  const { errors } = form.formState;
  return (
    <AuthLayout title={`Join ${invitation.data.workspaceName}`} intro={`You were invited as ${invitation.data.role} (${invitation.data.email}).`}>
      {formError && <Notice tone="danger">{formError}</Notice>}
      <form noValidate onSubmit={form.handleSubmit((values) => {
        setFormError(null);
        accept.mutate(values);
      })}>
        <Field label="Your name" error={errors.displayName?.message}>
          <input className="input" autoComplete="name" {...form.register('displayName')} />
        </Field>
        <Field label="Password" hint="At least 12 characters." error={errors.password?.message}>
          <input className="input" type="password" autoComplete="new-password" {...form.register('password')} />
        </Field>
        <Button type="submit" variant="primary" busy={accept.isPending}>
          Join workspace
        </Button>
      </form>
    </AuthLayout>
  );
}
