import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ApiError, call } from '../../api/errors';
import type { Me } from '../../api/types';

export const sessionKeys = { me: ['me'] as const, setup: ['setup'] as const };

/** Who is signed in, their workspace and what their role may do (`GET /v1/auth/me`). */
export function useMe() {
  return useQuery({
    queryKey: sessionKeys.me,
    queryFn: () => call<Me>(api.GET('/v1/auth/me', {})),
    retry: false,
    staleTime: 60_000,
  });
}

/** Whether the hub still needs its first owner (`GET /v1/setup`): the hub's state, not the browser's. */
export function useSetupState(enabled = true) {
  return useQuery({
    queryKey: sessionKeys.setup,
    queryFn: () => call<{ needsSetup: boolean }>(api.GET('/v1/setup', {})),
    retry: false,
    enabled,
  });
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** Whether the signed-in role has a permission; the API refuses regardless, this only hides buttons. */
export function useCan(permission: string): boolean {
  const me = useMe();
  return me.data?.permissions.includes(permission) ?? false;
}
