import { Field } from '../../components/ui';
import { FLOW_EVENT_TYPES, type FlowDefinition } from './graph';
import { FLOW_UI } from './selectors';

/** The flow's own settings: name, trigger, exits, message type, re-entry. */
export function FlowPanel({ definition, issues, onChange }: { definition: FlowDefinition; issues: string[]; onChange: (patch: Partial<FlowDefinition>, label: string) => void }) {
  const trigger = definition.trigger;
  const exit = definition.exits?.[0];
  return (
    <section className="flow-side" aria-label={FLOW_UI.flowPanel}>
      <h2>Flow</h2>
      <Field label="Name">
        <input value={definition.name} onChange={(e) => onChange({ name: e.target.value }, 'Rename flow')} />
      </Field>
      <Field label="Trigger event" hint="The event that starts a run; none: started by enrolment only.">
        <select value={trigger.events[0] ?? ''} onChange={(e) => onChange({ trigger: { ...trigger, events: e.target.value ? [e.target.value as never] : [] } }, 'Change trigger')}>
          <option value="">(enrolled by hand)</option>
          {FLOW_EVENT_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </Field>
      <Field label="Correlation key" hint="The event field that identifies one run, e.g. checkoutToken.">
        <input value={trigger.correlationKey ?? ''} onChange={(e) => onChange({ trigger: { ...trigger, correlationKey: e.target.value || undefined } }, 'Change correlation key')} />
      </Field>
      <Field label="Ends early on" hint="An event that ends a live run, e.g. order.created.">
        <select
          value={exit?.event ?? ''}
          onChange={(e) =>
            onChange({ exits: e.target.value ? [{ event: e.target.value as never, ...(exit?.correlationKey || trigger.correlationKey ? { correlationKey: exit?.correlationKey ?? trigger.correlationKey } : {}) }, ...(definition.exits ?? []).slice(1)] : undefined }, 'Change exit')
          }
        >
          <option value="">(nothing)</option>
          {FLOW_EVENT_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </Field>
      <Field label="Message type">
        <select value={definition.messageType} onChange={(e) => onChange({ messageType: e.target.value as FlowDefinition['messageType'] }, 'Change message type')}>
          {['marketing', 'transactional', 'conversational', 'system'].map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </Field>
      <Field label="Re-entry">
        <select value={definition.reentry.mode} onChange={(e) => onChange({ reentry: e.target.value === 'cooldown' ? { mode: 'cooldown', cooldown: definition.reentry.cooldown ?? 'P7D' } : { mode: e.target.value as 'never' } }, 'Change re-entry')}>
          <option value="never">never: one run per person</option>
          <option value="always">always</option>
          <option value="cooldown">after a cooldown</option>
        </select>
      </Field>
      {definition.reentry.mode === 'cooldown' && (
        <Field label="Cooldown" hint="ISO-8601, e.g. P7D">
          <input value={definition.reentry.cooldown ?? ''} onChange={(e) => onChange({ reentry: { mode: 'cooldown', cooldown: e.target.value } }, 'Change cooldown')} />
        </Field>
      )}
      {issues.length > 0 && (
        <ul className="flow-issues" aria-label="Problems with the flow">
          {issues.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      )}
      <p className="muted">Select a step on the diagram to edit it. Drag steps from the palette onto the diagram; connect them by dragging from a step's lower handle.</p>
    </section>
  );
}
