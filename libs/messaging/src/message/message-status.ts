import type { MessageStatus } from './message.entity';

/**
 * How far along a message is. Status callbacks arrive out of order (Twilio documents this): a status
 * only replaces one of a lower rank, so a late "sent" never undoes "delivered".
 */
export const STATUS_RANK: Readonly<Record<MessageStatus, number>> = {
  queued: 0,
  deferred: 0,
  held: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  blocked: 3,
  received: 3,
};

/**
 * How long a hand-off may stay `sending` before it is taken as dead: provider calls time out after
 * 15 s, so a row still `sending` this long after its claim lost its attempt (a crash). Younger,
 * another attempt may be calling the provider right now, and a second job leaves it alone.
 */
export const HANDOFF_TIMEOUT_MS = 2 * 60_000;

/** The reason on a `sending` row whose hand-off ended without an answer (law 4: never re-sent). */
export const AMBIGUOUS_HANDOFF = 'ambiguous_handoff';

/** Twilio's MessageStatus values (status callbacks) mapped to ours; unknown ones are ignored. */
export const TWILIO_STATUS: Readonly<Record<string, MessageStatus>> = {
  accepted: 'sending',
  scheduled: 'sending',
  queued: 'sending',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'failed',
};

/** The SQL twin of STATUS_RANK, for forward-only updates done in one statement. */
export const STATUS_RANK_SQL = `CASE "status" ${Object.entries(STATUS_RANK)
  .map(([status, rank]) => `WHEN '${status}' THEN ${rank}`)
  .join(' ')} END`;
