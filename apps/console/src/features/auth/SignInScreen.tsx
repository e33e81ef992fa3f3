import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { ApiError, call } from '../../api/errors';
import { Button, Field, Notice, Spinner } from '../../components/ui';
import { applyServerErrors } from '../../forms/serverErrors';
import { AuthLayout } from './AuthLayout';
import { signInSchema, type SignInValues } from './schema';
import { sessionKeys, useMe, useSetupState } from './session';

/** Only paths inside the console are followed after sign-in. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInScreen() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const setup = useSetupState();
  const me = useMe();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<SignInValues>({ resolver: zodResolver(signInSchema), defaultValues: { email: '', password: '' } });
  const signIn = useMutation({
    mutationFn: (values: SignInValues) => call(api.POST('/v1/auth/login', { body: values })),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: sessionKeys.me });
      navigate(safeNext(params.get('next')), { replace: true });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 401) setFormError('That email and password do not match an account.');
      else if (error instanceof ApiError && error.status === 429) setFormError('Too many attempts. Wait a minute and try again.');
      else setFormError(applyServerErrors(error, form.setError, ['email', 'password']));
    },
  });
  if (setup.isPending) return <Spinner />;
  if (setup.data?.needsSetup) return <Navigate to="/setup" replace />;
  // Already signed in (another tab, or the back button): go where they were headed.
  if (me.isSuccess && !signIn.isPending) return <Navigate to={safeNext(params.get('next'))} replace />;
  const { errors } = form.formState;
  return (
    <AuthLayout title="Sign in" intro="Sign in to your Optline workspace.">
      {formError && <Notice tone="danger">{formError}</Notice>}
      <form
        noValidate
        onSubmit={form.handleSubmit((values) => {
          setFormError(null);
          signIn.mutate(values);
        })}
      >
        <Field label="Email" error={errors.email?.message}>
          <input className="input" type="email" autoComplete="username" {...form.register('email')} />
        </Field>
        <Field label="Password" error={errors.password?.message}>
          <input className="input" type="password" autoComplete="current-password" {...form.register('password')} />
        </Field>
        <Button type="submit" variant="primary" busy={signIn.isPending}>
          Sign in
        </Button>
      </form>
      <p className="muted">No account? Ask an admin of your workspace for an invitation.</p>
    </AuthLayout>
  );
}
