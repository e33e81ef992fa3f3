import { dump } from 'js-yaml';
import { useState } from 'react';
import { errorMessage } from '../../api/errors';
import { Field, Notice, Spinner } from '../../components/ui';
import { useFlow, type Flow } from './api';
import { lineDiff } from './diff';

/** Two saved versions of the flow, side by side as one YAML line diff. */
export function VersionDiff({ flow }: { flow: Flow }) {
  const numbers = (flow.versions ?? []).map((v) => v.version).sort((x, y) => x - y);
  const [from, setFrom] = useState(numbers.length > 1 ? numbers[numbers.length - 2] : numbers[0]);
  const [to, setTo] = useState(numbers[numbers.length - 1]);
  const a = useFlow(flow.id, from);
  const b = useFlow(flow.id, to);
  if (numbers.length < 2) return <p className="muted">Only one version is saved so far; save a change to compare.</p>;
  const pick = (label: string, value: number, set: (v: number) => void) => (
    <Field label={label}>
      <select value={value} onChange={(e) => set(Number(e.target.value))}>
        {numbers.map((n) => (
          <option key={n} value={n}>
            version {n}
          </option>
        ))}
      </select>
    </Field>
  );
  return (
    <div>
      <div className="flow-builder__toolbar">
        {pick('Compare version', from, setFrom)}
        {pick('with version', to, setTo)}
      </div>
      {a.isError || b.isError ? (
        <Notice tone="danger">{errorMessage(a.error ?? b.error)}</Notice>
      ) : !a.data || !b.data ? (
        <Spinner label="Loading the versions…" />
      ) : (
        <pre className="flow-diff" aria-label="Differences between the versions">
          {lineDiff(dump(a.data.definition, { lineWidth: -1 }), dump(b.data.definition, { lineWidth: -1 })).map((d, i) => (
            <span key={i} className={d.op === '+' ? 'flow-diff--added' : d.op === '-' ? 'flow-diff--removed' : undefined}>
              {d.op} {d.line}
              {'\n'}
            </span>
          ))}
        </pre>
      )}
    </div>
  );
}
