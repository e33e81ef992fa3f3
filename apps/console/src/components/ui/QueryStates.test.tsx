import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueryStates, type QueryLike } from './QueryStates';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const query = (over: Partial<QueryLike<string[]>>): QueryLike<string[]> => ({ isPending: false, isError: false, error: null, data: undefined, refetch: vi.fn(), ...over });

describe('QueryStates', () => {
  let container: HTMLDivElement;
  let root: Root;
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
  });
  const show = (q: QueryLike<string[]>) =>
    act(() =>
      root.render(
        <QueryStates query={q} isEmpty={(d) => d.length === 0} empty="No links yet" loadingLabel="Loading links…" describeError={(e) => `Failed: ${(e as Error).message}`}>
          {(d) => <ul>{d.map((x) => <li key={x}>{x}</li>)}</ul>}
        </QueryStates>,
      ),
    );

  it('says it is loading, then shows the content', () => {
    show(query({ isPending: true }));
    expect(container.querySelector('[role="status"]')?.textContent).toBe('Loading links…');
    show(query({ data: ['a', 'b'] }));
    expect([...container.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['a', 'b']);
  });

  it('names the error in the caller’s words and retries on request', () => {
    const q = query({ isError: true, error: new Error('hub unreachable') });
    show(q);
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('Failed: hub unreachable');
    act(() => container.querySelector('button')!.click());
    expect(q.refetch).toHaveBeenCalledTimes(1);
  });

  it('shows the empty state instead of an empty list', () => {
    show(query({ data: [] }));
    expect(container.textContent).toBe('No links yet');
    expect(container.querySelector('ul')).toBeNull();
  });
});
