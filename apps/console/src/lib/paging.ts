import { useState } from 'react';

/**
 * Cursor paging: the hub answers `nextCursor`; we keep the cursors of the pages seen so the
 * user can go forward page by page and back to the first. Reset when filters change.
 */
export function useCursor() {
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [page, setPage] = useState(1);
  return {
    cursor,
    page,
    next: (nextCursor: string | null | undefined) => {
      if (!nextCursor) return;
      setCursor(nextCursor);
      setPage((p) => p + 1);
    },
    first: () => {
      setCursor(undefined);
      setPage(1);
    },
  };
}
