import type { MessageStatus } from './message.entity';

/**
 * How far along a message is. Status callbacks arrive out of order (INTEGRATIONS.md): a status
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
