import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Navigate, useNavigate } from 'react-router';
import { api } from '../../api/client';
import { ApiError, call } from '../../api/errors';
import { Button, Field, Notice, Spinner } from '../../components/ui';
import { applyServerErrors } from '../../forms/serverErrors';
import { AuthLayout } from './AuthLayout';
import { setupSchema, type SetupValues } from './schema';
import { sessionKeys, useSetupState } from './session';

const FIELDS = ['setupCode', 'workspaceName', 'brandName', 'displayName', 'email', 'password'] as const;

/** First run: the setup code from the hub's log, the workspace and its owner. Refused once an owner exists. */
export function SetupScreen() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const setup = useSetupState();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<SetupValues>({
    resolver: zodResolver(setupSchema),
    defaultValues: { setupCode: '', workspaceName: '', brandName: '', displayName: '', email: '', password: '' },
  });
  const create = useMutation({
    mutationFn: (values: SetupValues) => call(api.POST('/v1/setup', { body: values })),
    onSuccess: async () => {
      queryClient.setQueryData(sessionKeys.setup, { needsSetup: false });
      queryClient.removeQueries({ queryKey: sessionKeys.me });
      navigate('/', { replace: true });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'setup_code_invalid') {
        form.setError('setupCode', { type: 'server', message: 'That setup code is not the one in the hub’s log.' });
        setFormError(null);
      } else if (error instanceof ApiError && error.code === 'setup_done') {
        setFormError('This hub already has an owner. Sign in instead.');
      } else setFormError(applyServerErrors(error, form.setError, FIELDS));
    },
  });
  if (setup.isPending || create.isSuccess) return <Spinner />;
  if (setup.isSuccess && !setup.data.needsSetup) return <Navigate to="/sign-in" replace />;
  const { errors } = form.formState;
  return (
    <AuthLayout
      title="Set up Optline"
      intro={
        <>
          Create your workspace and its owner account. The setup code is printed in the hub’s log when it starts (look for <code>setup code</code>).
        </>
      }
    >
      {formError && <Notice tone="danger">{formError}</Notice>}
      <form noValidate onSubmit={form.handleSubmit((values) => {
        setFormError(null);
        create.mutate(values);
      })}>
        <Field label="Setup code" error={errors.setupCode?.message}>
          <input className="input mono" autoComplete="off" spellCheck={false} {...form.register('setupCode')} />
        </Field>
        <fieldset>
          <legend>Workspace</legend>
          <Field label="Workspace name" error={errors.workspaceName?.message}>
            <input className="input" autoComplete="organization" {...form.register('workspaceName')} />
          </Field>
          <Field label="Brand name" hint="The name customers see in your texts." error={errors.brandName?.message}>
            <input className="input" {...form.register('brandName')} />
          </Field>
        </fieldset>
        <fieldset>
          <legend>Owner</legend>
          <Field label="Your name" error={errors.displayName?.message}>
            <input className="input" autoComplete="name" {...form.register('displayName')} />
          </Field>
          <Field label="Email" error={errors.email?.message}>
            <input className="input" type="email" autoComplete="username" {...form.register('email')} />
          </Field>
          <Field label="Password" hint="At least 12 characters." error={errors.password?.message}>
            <input className="input" type="password" autoComplete="new-password" {...form.register('password')} />
          </Field>
        </fieldset>
        <Button type="submit" variant="primary" busy={create.isPending}>
          Create workspace
        </Button>
      </form>
    </AuthLayout>
  );
}
