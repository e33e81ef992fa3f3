import type { PolicyVerdict } from '../../api/types';
import { Badge } from '../../components/ui';
import { humanize, toneOf } from '../../lib/format';

/** Each policy in the order the hub ran it, its outcome and why. */
export function Verdicts({ policies }: { policies: PolicyVerdict[] }) {
  if (policies.length === 0) return <p className="muted">No policy ran for this message.</p>;
  return (
    <ul className="verdicts" aria-label="Policy verdicts">
      {policies.map((p, i) => (
        <li key={`${p.policy}-${i}`}>
          <strong>{humanize(p.policy)}</strong>
          <span>
            <Badge tone={toneOf(p.outcome)}>{p.outcome}</Badge>
          </span>
          <span>
            {humanize(p.reason)}
            {p.detail && Object.keys(p.detail).length > 0 && (
              <span className="muted">
                {' '}
                ({Object.entries(p.detail)
                  .map(([k, v]) => `${humanize(k).toLowerCase()}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
                  .join('; ')})
              </span>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}
