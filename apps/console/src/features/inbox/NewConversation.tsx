import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, errorMessage } from '../../api/errors';
import { Button } from '../../components/ui';
import { useStartConversation } from './api';

/** Opens (or finds) the conversation with a phone number; the first text is written in the thread. */
export function NewConversation() {
  const [open, setOpen] = useState(false);
  const [phone, setPhone] = useState('');
  const start = useStartConversation();
  const navigate = useNavigate();
  if (!open) {
    return (
      <Button variant="primary" onClick={() => setOpen(true)}>
        New conversation
      </Button>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate(phone, {
      onSuccess: ({ conversation }) => {
        setOpen(false);
        setPhone('');
        navigate(`/inbox/${conversation.id}`);
      },
    });
  };
  const error = start.error instanceof ApiError ? (start.error.fieldMessage('phone') ?? errorMessage(start.error)) : start.error ? errorMessage(start.error) : undefined;
  return (
    <form className="inbox__new" onSubmit={submit}>
      <label htmlFor="new-phone" className="field__label">
        Client's phone number
      </label>
      <div className="inbox__new-row">
        <input id="new-phone" className="input" type="tel" autoComplete="off" value={phone} onChange={(e) => setPhone(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? 'new-phone-error' : undefined} autoFocus />
        <Button type="submit" variant="primary" busy={start.isPending} disabled={!phone.trim()}>
          Open
        </Button>
        <Button variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
      {error && (
        <p id="new-phone-error" className="field__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
