import { Button, Field } from '../../components/ui';
import { REPLY_KINDS, type FlowDefinition, type FlowStep, type ReplyKind } from './graph';
import { MessageEditor } from './MessageEditor';
import { FLOW_UI } from './selectors';

type Patch = Record<string, unknown>;

/** Edits the selected step; every change is one command on the document. */
export function StepPanel({
  step,
  definition,
  issues,
  brandName,
  onChange,
  onRemove,
  onClose,
}: {
  step: FlowStep;
  definition: FlowDefinition;
  issues: string[];
  brandName: string;
  onChange: (patch: Patch, label: string) => void;
  onRemove: () => void;
  onClose: () => void;
}) {
  const others = definition.steps.filter((s) => s.id !== step.id).map((s) => s.id);
  const target = (label: string, value: string | undefined, set: (v: string | undefined) => void, optional = false) => (
    <Field label={label}>
      <select value={value ?? ''} onChange={(e) => set(e.target.value || undefined)}>
        <option value="">{optional ? '(the next step in the list)' : '(not connected)'}</option>
        {others.map((id) => (
          <option key={id} value={id}>
            {id}
          </option>
        ))}
      </select>
    </Field>
  );
  const text = (label: string, field: string, value: string | undefined, hint?: string) => (
    <Field label={label} hint={hint}>
      <input value={value ?? ''} onChange={(e) => onChange({ [field]: e.target.value === '' ? undefined : e.target.value }, `Edit ${label.toLowerCase()}`)} />
    </Field>
  );

  return (
    <section className="flow-side" aria-label={FLOW_UI.stepPanel}>
      <div className="flow-builder__toolbar">
        <h2>
          {step.type} <code>{step.id}</code>
        </h2>
        <Button variant="ghost" onClick={onClose} aria-label="Close the step panel">
          ×
        </Button>
      </div>
      <Field label="Step id" hint="Letters, digits, - or _; references to it follow a rename.">
        <input defaultValue={step.id} key={step.id} onBlur={(e) => e.target.value && e.target.value !== step.id && onChange({ id: e.target.value }, 'Rename step')} />
      </Field>
      {step.type === 'send' && (
        <>
          <MessageEditor value={step.template} onChange={(template) => onChange({ template }, 'Edit message')} events={definition.trigger.events} brandName={brandName} issues={issues} />
          <Field label="Message type">
            <select value={step.messageType ?? ''} onChange={(e) => onChange({ messageType: e.target.value || undefined }, 'Change message type')}>
              <option value="">as the flow ({definition.messageType})</option>
              {['marketing', 'transactional', 'conversational', 'system'].map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </Field>
        </>
      )}
      {step.type === 'wait' && (
        <>
          {text('Duration', 'duration', step.duration, 'ISO-8601, e.g. PT1H, P1D; with “until”: used when the event lacks the field')}
          {text('Until', 'until', step.until, 'relative to an event field, e.g. event.startsAt - PT24H')}
          {step.until && target('If already past, go to', step.ifPast, (v) => onChange({ ifPast: v }, 'Connect if past'), true)}
        </>
      )}
      {step.type === 'waitForReply' && (
        <>
          {text('Wait at most', 'timeout', step.timeout, 'ISO-8601, e.g. P3D')}
          {target('No reply: go to', step.onTimeout || undefined, (v) => onChange({ onTimeout: v ?? '' }, 'Connect timeout'))}
          <fieldset>
            <legend>Reply routes</legend>
            {(step.routes ?? []).map((route, i) => (
              <div key={i} className="flow-builder__toolbar">
                <select aria-label={`Route ${i + 1} reply`} value={route.reply} onChange={(e) => onChange({ routes: step.routes.map((r, j) => (j === i ? { ...r, reply: e.target.value as ReplyKind } : r)) }, 'Edit route')}>
                  {REPLY_KINDS.map((k) => (
                    <option key={k}>{k}</option>
                  ))}
                </select>
                {route.reply === 'keyword' && (
                  <input aria-label={`Route ${i + 1} keyword`} value={route.keyword ?? ''} onChange={(e) => onChange({ routes: step.routes.map((r, j) => (j === i ? { ...r, keyword: e.target.value } : r)) }, 'Edit route')} />
                )}
                <Button variant="ghost" onClick={() => onChange({ routes: step.routes.filter((_r, j) => j !== i) }, 'Remove route')}>
                  Remove
                </Button>
              </div>
            ))}
            <Button onClick={() => onChange({ routes: [...(step.routes ?? []), { reply: 'no', next: '' }] }, 'Add route')}>Add a reply route</Button>
          </fieldset>
        </>
      )}
      {step.type === 'branch' && (
        <>
          <Field label="Condition (JSON Logic)" hint="Over { contact, consent, event, run }. Connect the yes and no handles on the diagram.">
            <textarea
              key={`${step.id}-condition`}
              defaultValue={JSON.stringify(step.condition, null, 1)}
              onBlur={(e) => {
                try {
                  onChange({ condition: JSON.parse(e.target.value) }, 'Edit condition');
                } catch {
                  e.target.setCustomValidity('Not valid JSON');
                  e.target.reportValidity();
                }
              }}
            />
          </Field>
          {target('Yes: go to', step.then || undefined, (v) => onChange({ then: v ?? '' }, 'Connect yes'))}
          {target('No: go to', step.else || undefined, (v) => onChange({ else: v ?? '' }, 'Connect no'))}
        </>
      )}
      {(step.type === 'addToGroup' || step.type === 'removeFromGroup') && text('Group', 'group', step.group, 'a group id, enrolled, opted_in or opted_out')}
      {step.type === 'setConsent' && (
        <>
          <Field label="State">
            <select value={step.state} onChange={(e) => onChange({ state: e.target.value }, 'Change consent state')}>
              {['opted_in', 'opted_out', 'pending'].map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </Field>
          <Field label="Message types (comma-separated)">
            <input defaultValue={step.types.join(', ')} key={`${step.id}-types`} onBlur={(e) => onChange({ types: e.target.value.split(',').map((t) => t.trim()).filter(Boolean) }, 'Change consent types')} />
          </Field>
        </>
      )}
      {step.type === 'setAttribute' && (
        <>
          {text('Attribute', 'attribute', step.attribute)}
          {text('Value', 'value', typeof step.value === 'string' ? step.value : JSON.stringify(step.value), 'a Liquid template, e.g. {{ reply.body }}')}
        </>
      )}
      {step.type === 'webhook' && text('URL', 'url', step.url)}
      {step.type === 'exit' && text('Reason', 'reason', step.reason)}
      {step.type !== 'send' && issues.length > 0 && (
        <ul className="flow-issues" aria-label="Problems with this step">
          {issues.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      )}
      {!['waitForReply', 'branch', 'split', 'exit'].includes(step.type) && target('Then go to', step.next, (v) => onChange({ next: v }, 'Connect next'), true)}
      <Button variant="danger" onClick={onRemove}>
        Delete step
      </Button>
    </section>
  );
}
