import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useParams } from 'react-router';
import { z } from 'zod';
import { api } from '../../api/client';
import { ApiError, call, errorMessage } from '../../api/errors';
import { Button, ErrorState, Field, Notice, Spinner } from '../../components/ui';
import { applyServerErrors } from '../../forms/serverErrors';
import { AuthLayout } from './AuthLayout';
import { password } from './schema';

const resetSchema = z.object({ password });
type ResetValues = z.infer<typeof resetSchema>;

/** The recovery link the operator CLI prints (`/reset-password/<token>`): a new password, then sign in. */
export function ResetPasswordScreen() {
  const { token = '' } = useParams();
  const [formError, setFormError] = useState<string | null>(null);
  const reset = useQuery({
    queryKey: ['password-reset', token],
    queryFn: () => call<{ email: string }>(api.GET('/v1/password-resets/{token}', { params: { path: { token } } })),
  });
  const form = useForm<ResetValues>({ resolver: zodResolver(resetSchema), defaultValues: { password: '' } });
  const save = useMutation({
    mutationFn: (values: ResetValues) => call(api.POST('/v1/password-resets/{token}', { params: { path: { token } }, body: values })),
    onError: (error) => setFormError(applyServerErrors(error, form.setError, ['password'])),
  });
  if (reset.isPending) return <Spinner />;
  if (reset.isError) {
    const gone = reset.error instanceof ApiError && [404, 410].includes(reset.error.status);
    return (
      <AuthLayout title="Reset your password">
        <ErrorState message={gone ? 'This link has expired or was already used. Ask your operator for a new one.' : errorMessage(reset.error)} />
        <Link to="/sign-in">Go to sign-in</Link>
      </AuthLayout>
    );
  }
  if (save.isSuccess) {
    return (
      <AuthLayout title="Password changed">
        <Notice tone="success">Your password is changed and every session of {reset.data.email} has ended.</Notice>
        <Link to="/sign-in">Sign in</Link>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Reset your password" intro={`For ${reset.data.email}.`}>
      {formError && <Notice tone="danger">{formError}</Notice>}
      <form noValidate onSubmit={form.handleSubmit((values) => { setFormError(null); save.mutate(values); })}>
        <Field label="New password" hint="At least 12 characters." error={form.formState.errors.password?.message}>
          <input className="input" type="password" autoComplete="new-password" {...form.register('password')} />
        </Field>
        <Button type="submit" variant="primary" busy={save.isPending}>Change password</Button>
      </form>
    </AuthLayout>
  );
}
