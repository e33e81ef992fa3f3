import { useMemo, useRef, useState } from 'react';
import { countSegments } from '../../lib/sms-segments';
import { renderPreview, SAMPLE_CONTACT, SAMPLE_EVENTS, typingVariable, variablesFor } from './preview';
import { FLOW_UI } from './selectors';

/**
 * A send step's Liquid with completion of the variables the trigger provides, a live preview
 * for a sample contact and event, and the segment count and encoding of that preview.
 */
export function MessageEditor({ value, onChange, events, brandName, issues }: { value: string; onChange: (value: string) => void; events: string[]; brandName: string; issues: string[] }) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const [caret, setCaret] = useState(value.length);
  const variables = useMemo(() => variablesFor(events), [events]);
  const typing = typingVariable(value, caret);
  const suggestions = typing ? variables.filter((v) => v.startsWith(typing.prefix) && v !== typing.prefix).slice(0, 8) : [];
  const preview = renderPreview(
    value,
    { contact: SAMPLE_CONTACT, event: SAMPLE_EVENTS[events[0]] ?? {}, workspace: { name: brandName, brandName }, flow: { name: 'Flow' }, run: {}, reply: { body: 'YES' } },
    window.location.origin,
  );
  const count = countSegments(preview);

  const insert = (variable: string) => {
    if (!typing) return;
    const rest = value.slice(caret);
    const closing = rest.trimStart().startsWith('}}') ? '' : ' }}';
    const next = `${value.slice(0, typing.start)}${variable}${closing}${rest}`;
    onChange(next);
    const at = typing.start + variable.length + closing.length;
    setCaret(at);
    requestAnimationFrame(() => ref.current?.setSelectionRange(at, at));
    ref.current?.focus();
  };

  return (
    <div className="field">
      <label className="field__label" htmlFor="flow-message">
        {FLOW_UI.template}
      </label>
      <textarea
        id="flow-message"
        ref={ref}
        value={value}
        aria-describedby="flow-message-count"
        onChange={(e) => {
          onChange(e.target.value);
          setCaret(e.target.selectionStart);
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={(e) => {
          if ((e.key === 'Tab' || e.key === 'Enter') && suggestions.length) {
            e.preventDefault();
            insert(suggestions[0]);
          }
        }}
      />
      {suggestions.length > 0 && (
        <ul className="flow-suggestions" aria-label="Variables">
          {suggestions.map((v) => (
            <li key={v}>
              <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => insert(v)}>
                {v}
              </button>
            </li>
          ))}
        </ul>
      )}
      <p id="flow-message-count" className={`flow-counter${count.encoding === 'UCS-2' ? ' flow-counter--ucs2' : ''}`} aria-live="polite">
        {count.units} {count.encoding === 'GSM-7' ? 'characters' : 'UCS-2 units'} · {count.segments} segment{count.segments === 1 ? '' : 's'} · {count.encoding}
        {count.encoding === 'UCS-2' ? ` (because of ${count.nonGsm.join(' ')})` : ''}
      </p>
      <p className="field__hint">Preview for Alex with a sample {events[0] ?? 'event'}:</p>
      <p className="flow-preview" aria-label="Preview">
        {preview || ' '}
      </p>
      {issues.length > 0 && (
        <ul className="flow-issues" aria-label="Problems with this step">
          {issues.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
