import { useState } from 'react';
import { errorMessage } from '../../api/errors';
import { Button, Notice } from '../../components/ui';
import { Verdicts } from '../messages/Verdicts';
import { useCheck } from './api';

/** "Can we text them now?": every policy's verdict for a message type, without sending. */
export function CheckPanel({ contactId }: { contactId: string }) {
  const [type, setType] = useState('marketing');
  const check = useCheck();
  return (
    <div>
      <form
        className="form-actions"
        onSubmit={(e) => {
          e.preventDefault();
          check.mutate({ contactId, type });
        }}
      >
        <label htmlFor="check-type" className="field__label">Message type</label>
        <select id="check-type" className="select" style={{ width: 'auto' }} value={type} onChange={(e) => setType(e.target.value)}>
          <option value="marketing">marketing</option>
          <option value="transactional">transactional</option>
          <option value="conversational">conversational</option>
        </select>
        <Button type="submit" variant="primary" busy={check.isPending}>Can we text them now?</Button>
      </form>
      {check.isError && <Notice tone="danger">{errorMessage(check.error)}</Notice>}
      {check.data && (
        <div style={{ marginTop: 12 }}>
          <Notice tone={check.data.allowed ? 'success' : check.data.outcome === 'defer' ? 'warning' : 'danger'}>
            {check.data.allowed
              ? `Yes — a ${type} text would be sent now.`
              : check.data.outcome === 'defer'
                ? `Not now — held by ${check.data.policy} (${check.data.reason})${check.data.until ? ` until ${new Date(check.data.until).toLocaleString()}` : ''}.`
                : `No — blocked by ${check.data.policy}: ${check.data.reason}.`}
          </Notice>
          <Verdicts policies={check.data.policies} />
        </div>
      )}
    </div>
  );
}
