import { useState, type ReactNode } from 'react';
import { Button } from './Button';

/** A destructive action asks once more inline (keyboard-reachable, no modal to trap focus). */
export function ConfirmButton({ label, confirmLabel, question, onConfirm, busy, disabled }: { label: string; confirmLabel: string; question: ReactNode; onConfirm: () => void; busy?: boolean; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button variant="danger" onClick={() => setAsking(true)} disabled={disabled}>
        {label}
      </Button>
    );
  }
  return (
    <div className="confirm" role="group" aria-label={label}>
      <p>{question}</p>
      <Button variant="danger" busy={busy} onClick={onConfirm} autoFocus>
        {confirmLabel}
      </Button>
      <Button onClick={() => setAsking(false)}>Cancel</Button>
    </div>
  );
}
