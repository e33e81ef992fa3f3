import type { Disclosure, LedgerEntry } from '../../api/types';
import { Badge, EmptyState } from '../../components/ui';
import { formatDateTime, humanize, toneOf } from '../../lib/format';

/** The consent ledger for one person, newest first: what changed, where from, the proof, who. */
export function ConsentTimeline({ entries, disclosures }: { entries: LedgerEntry[]; disclosures: Disclosure[] }) {
  if (entries.length === 0) return <EmptyState title="No consent recorded yet" />;
  const byId = new Map(disclosures.map((d) => [d.id, d]));
  const sorted = [...entries].sort((a, b) => Number(b.seq) - Number(a.seq));
  return (
    <ol className="timeline" aria-label="Consent ledger">
      {sorted.map((entry) => {
        const disclosure = entry.disclosureId ? byId.get(entry.disclosureId) : undefined;
        return (
          <li key={entry.id}>
            <div className="timeline__head">
              <strong>{entry.messageType ? humanize(entry.messageType) : humanize(entry.kind)}</strong>
              {entry.state && <Badge tone={toneOf(entry.state)}>{entry.state.replace('_', ' ')}</Badge>}
              <span className="timeline__meta">via {humanize(entry.source)}</span>
            </div>
            <div className="timeline__meta">
              {formatDateTime(entry.occurredAt)}
              {entry.actor ? ` · by ${entry.actor}` : ''} · entry #{String(entry.seq)}
            </div>
            {disclosure && (
              <p className="muted">
                Disclosure v{disclosure.version}: “{disclosure.text}”
              </p>
            )}
            {!disclosure && entry.disclosureVersion != null && <p className="muted">Disclosure v{entry.disclosureVersion}</p>}
            {entry.evidence && Object.keys(entry.evidence).length > 0 && (
              <details>
                <summary>Evidence</summary>
                <pre>{JSON.stringify(entry.evidence, null, 2)}</pre>
              </details>
            )}
          </li>
        );
      })}
    </ol>
  );
}
