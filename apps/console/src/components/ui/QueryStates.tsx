import type { ReactNode } from 'react';
import { EmptyState, ErrorState, Spinner } from './States';

/** What QueryStates needs of a query (TanStack Query's result has all of it). */
export interface QueryLike<T> {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: T | undefined;
  refetch: () => unknown;
}

/**
 * The pending / error / empty / content pattern of a screen section, said once: a spinner while
 * the first answer is on its way, the error with "Try again", the empty state when `isEmpty`
 * says so, otherwise `children(data)`. The kit imports no API, so the caller says how an error
 * reads (`describeError`, e.g. the console's errorMessage).
 */
export function QueryStates<T>({
  query,
  children,
  isEmpty,
  empty,
  loadingLabel,
  describeError = (error) => (error instanceof Error ? error.message : String(error)),
}: {
  query: QueryLike<T>;
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  /** The empty state's title, or a whole element. */
  empty?: string | ReactNode;
  loadingLabel?: string;
  describeError?: (error: unknown) => string;
}) {
  if (query.isPending) return <Spinner label={loadingLabel} />;
  if (query.isError || query.data === undefined) return <ErrorState message={describeError(query.error)} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data)) return typeof empty === 'string' || empty === undefined ? <EmptyState title={typeof empty === 'string' ? empty : 'Nothing here yet'} /> : <>{empty}</>;
  return <>{children(query.data)}</>;
}
