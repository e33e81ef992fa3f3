import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { errorMessage } from '../../api/errors';
import { Button, Notice } from '../../components/ui';
import { useSend } from './api';
import { countSegments } from '../../lib/sms-segments';

const MAX = 1600;

/** The agent's text box: segments and encoding as they type; closed, with the reason, after STOP. */
export function Composer({ conversationId, closedReason, holdNote }: { conversationId: string; closedReason: string | null; holdNote: string | null }) {
  const [body, setBody] = useState('');
  const send = useSend(conversationId);
  const info = countSegments(body);

  if (closedReason) {
    return (
      <div className="composer composer--closed" aria-label="Composer">
        <Notice tone="danger">{closedReason}</Notice>
      </div>
    );
  }

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const text = body.trim();
    if (!text || send.isPending) return;
    send.mutate({ body: text, key: crypto.randomUUID() }, { onSuccess: () => setBody('') });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit();
  };

  return (
    <form className="composer" onSubmit={submit} aria-label="Composer">
      {holdNote && <p className="composer__hold">{holdNote}</p>}
      <label htmlFor="composer-body" className="visually-hidden">
        Message
      </label>
      <textarea
        id="composer-body"
        className="textarea composer__input"
        rows={3}
        maxLength={MAX}
        value={body}
        placeholder="Write a text…"
        aria-describedby="composer-count"
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="composer__bar">
        <span id="composer-count" className="composer__count" aria-live="polite" data-testid="segment-count">
          {body.length === 0
            ? 'GSM-7 · 160 characters per segment'
            : `${info.units} ${info.encoding === 'GSM-7' ? 'characters' : 'UCS-2 units'} · ${info.segments} segment${info.segments === 1 ? '' : 's'} · ${info.encoding}`}
          {info.encoding === 'UCS-2' && info.nonGsm.length > 0 && ` (because of ${info.nonGsm.join(' ')})`}
        </span>
        <Button type="submit" variant="primary" busy={send.isPending} disabled={!body.trim()}>
          Send
        </Button>
      </div>
      {send.isError && <Notice tone="danger">{errorMessage(send.error)}</Notice>}
    </form>
  );
}
