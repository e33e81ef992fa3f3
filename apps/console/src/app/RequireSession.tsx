import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorState, Spinner } from '../components/ui';
import { errorMessage } from '../api/errors';
import { isUnauthorized, useMe, useSetupState } from '../features/auth/session';

/** Signed-in screens: a hub without an owner goes to /setup, a signed-out browser to /sign-in. */
export function RequireSession({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  const signedOut = me.isError && isUnauthorized(me.error);
  const setup = useSetupState(signedOut);
  // A refetch after an earlier 401 (signed in since) is still loading, not signed out.
  if (me.isPending || (me.isError && me.isFetching)) return <Spinner label="Loading your workspace…" />;
  if (signedOut) {
    if (setup.isPending) return <Spinner />;
    if (setup.data?.needsSetup) return <Navigate to="/setup" replace />;
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.isError) return <ErrorState message={errorMessage(me.error)} onRetry={() => void me.refetch()} />;
  return <>{children}</>;
}

/** A screen the role may not open says so instead of failing call by call. */
export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const me = useMe();
  if (!me.data?.permissions.includes(permission)) {
    return <ErrorState message={`Your role (${me.data?.user.role ?? 'unknown'}) may not open this page.`} />;
  }
  return <>{children}</>;
}
