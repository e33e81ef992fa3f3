import { useState } from 'react';
import { errorMessage } from '../../api/errors';
import { Button, Field, Notice } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useSampleEvents, useSimulate, type Simulation } from './api';
import type { FlowDefinition } from './graph';
import { SAMPLE_EVENTS } from './preview';

/**
 * The simulator on the diagram: a sample event (a real stored one of this workspace, or the
 * built-in example), a contact, optionally the event that ends the run; the hub runs the flow
 * on its virtual clock and the path lights up.
 */
export function SimulatorPanel({ flowId, definition, beforeRun, onResult }: { flowId: string; definition: FlowDefinition; beforeRun: () => Promise<void>; onResult: (result: Simulation | null) => void }) {
  const eventType = definition.trigger.events[0];
  const stored = useSampleEvents(eventType);
  const simulate = useSimulate(flowId);
  const [source, setSource] = useState('example');
  const [contactId, setContactId] = useState('');
  const exit = definition.exits?.[0];
  const [exitAfter, setExitAfter] = useState('');
  const [result, setResult] = useState<Simulation | null>(null);

  const sample = (): Record<string, unknown> => {
    const picked = stored.data?.data.find((e) => e.id === source);
    return picked ? picked.data : (SAMPLE_EVENTS[eventType ?? ''] ?? {});
  };

  const run = async () => {
    await beforeRun();
    const event = sample();
    const key = definition.trigger.correlationKey;
    const correlation = key && event[key] !== undefined ? { [key]: event[key] } : undefined;
    const answer = await simulate.mutateAsync({
      event,
      ...(correlation ? { correlation } : {}),
      ...(contactId.trim() ? { contactId: contactId.trim() } : {}),
      ...(exit && exitAfter ? { events: [{ type: exit.event, after: exitAfter, ...(correlation ? { correlation } : {}) }] } : {}),
    } as never);
    setResult(answer);
    onResult(answer);
  };

  return (
    <section className="flow-side" aria-label="Simulator">
      <h2>Simulate</h2>
      <Field label="Sample event" hint={eventType ? `A ${eventType} the flow starts on.` : 'The flow has no trigger event; the sample is empty.'}>
        <select value={source} onChange={(e) => setSource(e.target.value)}>
          <option value="example">Example {eventType ?? ''}</option>
          {(stored.data?.data ?? []).map((e) => (
            <option key={e.id} value={e.id}>
              Stored {e.type} of {formatDateTime(e.occurredAt)}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Contact id (optional)" hint="A real contact's fields, zone and consent; empty: a sample contact opted in to everything.">
        <input value={contactId} onChange={(e) => setContactId(e.target.value)} />
      </Field>
      {exit && (
        <Field label={`${exit.event} arrives after (optional)`} hint="ISO-8601, e.g. PT30M: shows the run ending early.">
          <input value={exitAfter} onChange={(e) => setExitAfter(e.target.value)} />
        </Field>
      )}
      <Button variant="primary" busy={simulate.isPending} onClick={() => void run().catch(() => undefined)}>
        Run simulation
      </Button>
      {simulate.isError && <Notice tone="danger">{errorMessage(simulate.error)}</Notice>}
      {result && (
        <>
          <p>
            Simulated run <strong>{result.status}</strong>
            {result.endedAt ? ` at ${formatDateTime(result.endedAt)}` : ''}. Nothing was written or sent.
          </p>
          <ol className="flow-timeline" aria-label="Simulated timeline">
            {result.timeline.map((line, i) => {
              const message = result.messages.find((m) => m.stepId === line.stepId && line.outcome === 'sent');
              return (
                <li key={i}>
                  <time>{formatDateTime(line.at)}</time>
                  <strong>{line.stepId ?? 'run'}</strong> {line.outcome}
                  {message ? (
                    <>
                      {' '}
                      — gateway would send at {formatDateTime(message.sendAt)}: “{message.body}”
                    </>
                  ) : null}
                  {!message && typeof line.detail.reason === 'string' ? ` (${line.detail.reason})` : ''}
                </li>
              );
            })}
          </ol>
          <Button variant="ghost" onClick={() => { setResult(null); onResult(null); }}>
            Clear the path
          </Button>
        </>
      )}
    </section>
  );
}
