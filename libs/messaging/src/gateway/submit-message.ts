import { invalidField } from '@optline/core';
import type { PendingLink } from '../links/link.service';
import { MESSAGE_TYPES, MessageOrigin, MessageType, SYSTEM_MESSAGE_KINDS } from '../message/message.entity';

/** A message to send, as libraries (flows, campaigns, conversations, keyword replies) hand it to the gateway. */
export interface SubmitMessageInput {
  workspaceId: string;
  /** One of contactId or phone; a phone is upserted into a contact. */
  contactId?: string;
  phone?: string;
  type: MessageType;
  /** A literal body, or a Liquid template + data (contact and workspace are added). */
  body?: string;
  template?: string;
  data?: Record<string, unknown>;
  /**
   * Branded links already printed in `body` by a caller that renders its own templates (flows):
   * made with `LinkService.collector()`, stored with the message so their clicks are counted.
   */
  links?: PendingLink[];
  /** e.g. `run:${runId}:${stepId}`, `campaign:${id}:${contactId}`. The same key returns the first message. */
  idempotencyKey: string;
  origin?: MessageOrigin;
  /** Earliest send time; the policies still run at send time. */
  notBefore?: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks what the gateway's callers pass (they are code, but their data comes from users). */
export function assertSubmitInput(input: SubmitMessageInput, prefix = ''): void {
  const field = (name: string) => `${prefix}${name}`;
  if (!input.workspaceId || !UUID.test(input.workspaceId)) throw invalidField(field('workspaceId'), 'workspaceId must be a UUID');
  if (!MESSAGE_TYPES.includes(input.type)) throw invalidField(field('type'), `type must be one of ${MESSAGE_TYPES.join(', ')}`);
  if (!input.contactId === !input.phone) throw invalidField(field(input.contactId ? 'phone' : 'contactId'), 'give exactly one of contactId or phone');
  if (input.contactId && !UUID.test(input.contactId)) throw invalidField(field('contactId'), 'contactId must be a UUID');
  if ((input.body === undefined) === (input.template === undefined)) throw invalidField(field('body'), 'give exactly one of body or template');
  if (typeof (input.body ?? input.template) !== 'string' || (input.body ?? input.template)!.trim() === '') throw invalidField(field(input.body !== undefined ? 'body' : 'template'), 'must not be empty');
  if (typeof input.idempotencyKey !== 'string' || input.idempotencyKey.length === 0 || input.idempotencyKey.length > 255) {
    throw invalidField(field('idempotencyKey'), 'idempotencyKey must be 1–255 characters');
  }
  if (input.type === 'system' && !SYSTEM_MESSAGE_KINDS.includes(input.origin?.systemKind as never)) {
    throw invalidField(field('origin.systemKind'), `a system message names its kind: ${SYSTEM_MESSAGE_KINDS.join(', ')}`);
  }
  if (input.notBefore !== undefined && !(input.notBefore instanceof Date && !Number.isNaN(input.notBefore.getTime()))) {
    throw invalidField(field('notBefore'), 'notBefore must be a valid date');
  }
}
