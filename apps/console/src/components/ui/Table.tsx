import type { ReactNode } from 'react';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** Hidden at phone width. */
  secondary?: boolean;
}

/** A table that becomes labelled cards at phone width (each cell carries its header). */
export function Table<T>({ columns, rows, rowKey, caption }: { columns: Column<T>[]; rows: T[]; rowKey: (row: T) => string; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={c.secondary ? 'secondary' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.header} data-label={c.header} className={c.secondary ? 'secondary' : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Pager({ onFirst, onNext, hasNext, isFirst, busy }: { onFirst: () => void; onNext: () => void; hasNext: boolean; isFirst: boolean; busy?: boolean }) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="btn btn--secondary" onClick={onFirst} disabled={isFirst || busy}>
        First page
      </button>
      <button type="button" className="btn btn--secondary" onClick={onNext} disabled={!hasNext || busy}>
        Next page
      </button>
    </nav>
  );
}
