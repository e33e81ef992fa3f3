import { Injectable, Logger } from '@nestjs/common';
import type { Contact } from '@optline/contacts';
import { Clock, invalidField, JobPayloads, JobQueue, MAX_BATCH_JOB_IDS, Workspace, WorkspaceService } from '@optline/core';
import { randomUUID } from 'node:crypto';
import { Message, MessageType, SystemMessageKind } from '../message/message.entity';
import { MessageRepository, NewMessage } from '../message/message.repository';
import { runPolicies } from '../policies/policy-chain';
import { PolicyContextLoader } from '../policies/policy-context.loader';
import type { PolicyDecision } from '../policies/send-policy';
import type { ZoneResolution } from '../quiet-hours/zone-resolution';
import { MessageDraft, MessageDrafter } from './message-drafter.service';
import { isContactId, RecipientResolver } from './recipient-resolver.service';
import { assertSubmitInput, SubmitMessageInput } from './submit-message';

/** What `check` answers: the verdict and every policy's reason, without sending. */
export interface PolicyVerdict {
  allowed: boolean;
  /** pass, block, defer, hold (or fail) — what would happen if the message were sent now. */
  outcome: PolicyDecision['outcome'];
  /** The deciding policy and its reason (the last one when all pass). */
  policy: string;
  reason: string;
  /** defer: when it would go out. */
  until: Date | null;
  contactId: string | null;
  zone: ZoneResolution;
  region: string | null;
  policies: ({ policy: string } & PolicyDecision)[];
}

const INSERT_CHUNK = 500;

/**
 * A message drafted but not stored: for a caller that stores it in its own transaction (a STOP's
 * confirmation goes in with the opt-out, decision 0268) and then calls `enqueuePrepared`.
 */
export interface PreparedMessage {
  row: NewMessage & { id: string };
  links: { code: string; url: string; messageId: string; workspaceId: string }[];
  jobDelayMs: number;
}

/**
 * The one way out (law 1). `submit` records the message as `queued` under its idempotency key and
 * enqueues an `sms.send` job; the policies run later, at send time (law 2). The same key
 * submitted again — even concurrently — returns the first message and enqueues nothing (law 4).
 */
@Injectable()
export class SendGateway {
  private readonly logger = new Logger(SendGateway.name);

  constructor(
    private readonly workspaces: WorkspaceService,
    private readonly recipients: RecipientResolver,
    private readonly drafter: MessageDrafter,
    private readonly messages: MessageRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly contextLoader: PolicyContextLoader,
  ) {}

  async submit(input: SubmitMessageInput): Promise<Message> {
    return (await this.submitDetailed(input)).message;
  }

  /**
   * As `submit`, also telling whether this call created the message or found it by its key.
   * `jobDelayMs` holds the job back (not the message) so a caller can dispatch it inline first —
   * the TwiML reply path; whichever comes first claims the row, the other finds it handled.
   */
  async submitDetailed(input: SubmitMessageInput, options: { jobDelayMs?: number } = {}): Promise<{ message: Message; created: boolean }> {
    assertSubmitInput(input);
    const [existing] = await this.messages.byIdempotencyKeys(input.workspaceId, [input.idempotencyKey]);
    if (existing) return { message: existing, created: false };
    const workspace = await this.workspaces.get(input.workspaceId);
    const contact = await this.recipients.resolve(input.workspaceId, input);
    const draft = await this.drafter.draft(workspace, contact, input);
    const row = this.row(input, contact, draft);
    const inserted = await this.messages.insertNew([row], this.linkRows(row, draft));
    if (!inserted.has(row.id)) {
      const [winner] = await this.messages.byIdempotencyKeys(input.workspaceId, [input.idempotencyKey]);
      return { message: winner, created: false };
    }
    await this.enqueue(row, options.jobDelayMs ?? 0);
    return { message: (await this.messages.get(input.workspaceId, row.id))!, created: true };
  }

  /**
   * Drafts a message to a contact the caller already holds, without storing it: the caller inserts
   * `row` and `links` in its own transaction and, once that commits, calls `enqueuePrepared`. A
   * row stored but never enqueued (a crash in between) is re-armed by the reconciler like any
   * queued message whose job was lost.
   */
  async prepare(workspace: Workspace, contact: Contact, input: SubmitMessageInput, options: { jobDelayMs?: number } = {}): Promise<PreparedMessage> {
    assertSubmitInput(input);
    const draft = await this.drafter.draft(workspace, contact, input);
    const row = this.row(input, contact, draft);
    return { row, links: this.linkRows(row, draft), jobDelayMs: options.jobDelayMs ?? 0 };
  }

  /** The send job of a prepared message its caller has stored (and committed). */
  async enqueuePrepared(prepared: PreparedMessage): Promise<void> {
    await this.enqueue(prepared.row, prepared.jobDelayMs);
  }

  /**
   * Many messages in a few round trips: one contact lookup/upsert, one insert per 500 rows, one
   * bulk enqueue. result[i] is the message of inputs[i]. All inputs must share a workspace.
   */
  async submitMany(inputs: SubmitMessageInput[]): Promise<Message[]> {
    if (inputs.length === 0) return [];
    inputs.forEach((input, i) => assertSubmitInput(input, `[${i}].`));
    const workspaceId = inputs[0].workspaceId;
    if (inputs.some((i) => i.workspaceId !== workspaceId)) throw invalidField('workspaceId', 'submitMany takes messages of one workspace');
    const known = new Map((await this.messages.byIdempotencyKeys(workspaceId, [...new Set(inputs.map((i) => i.idempotencyKey))])).map((m) => [m.idempotencyKey, m]));
    const seen = new Set<string>();
    const fresh = inputs.filter((i) => !known.has(i.idempotencyKey) && !seen.has(i.idempotencyKey) && seen.add(i.idempotencyKey));
    if (fresh.length > 0) {
      const workspace = await this.workspaces.get(workspaceId);
      const contacts = await this.recipients.resolveMany(workspaceId, fresh);
      const positionOf = new Map(inputs.map((input, i) => [input, i]));
      const drafts = await Promise.all(fresh.map((input, i) => this.drafter.draft(workspace, contacts[i], input, `[${positionOf.get(input)}].`)));
      const rows = fresh.map((input, i) => this.row(input, contacts[i], drafts[i]));
      const inserted = new Set<string>();
      for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
        const chunk = rows.slice(start, start + INSERT_CHUNK);
        const links = chunk.flatMap((row, k) => this.linkRows(row, drafts[start + k]));
        for (const id of await this.messages.insertNew(chunk, links)) inserted.add(id);
      }
      const created = rows.filter((r) => inserted.has(r.id));
      await this.enqueueMany(created);
      const stored = await this.messages.byIdempotencyKeys(workspaceId, rows.map((r) => r.idempotencyKey));
      for (const message of stored) known.set(message.idempotencyKey, message);
    }
    return inputs.map((input) => known.get(input.idempotencyKey)!);
  }

  /** Runs every policy for a phone (or contact id) and a type, as if sending now; sends nothing. */
  async check(workspaceId: string, phoneOrContactId: string, type: MessageType, systemKind: SystemMessageKind = 'help'): Promise<PolicyVerdict> {
    const workspace = await this.workspaces.get(workspaceId);
    const message = { id: null, type, systemKind: type === 'system' ? systemKind : null, status: 'queued' as const, createdAt: this.clock.now(), idempotencyKey: null };
    // A contact id: its row, facts and history in one round (decision 0260); a phone: normalised, then looked up.
    const { contact, context } = isContactId(phoneOrContactId)
      ? await this.contextLoader.loadForContactId(workspace, message, phoneOrContactId)
      : await this.recipients.lookup(workspace.id, phoneOrContactId).then(async ({ contact, phone }) => ({ contact, context: await this.contextLoader.load(workspace, message, contact, phone) }));
    const { decision, trace } = runPolicies(context, { all: true });
    return {
      allowed: decision.outcome === 'pass',
      outcome: decision.outcome,
      policy: decision.policy,
      reason: decision.reason,
      until: decision.until ?? null,
      contactId: contact?.id ?? null,
      zone: context.zone,
      region: context.region,
      policies: trace,
    };
  }

  private row(input: SubmitMessageInput, contact: Contact, draft: MessageDraft): NewMessage & { id: string } {
    const now = this.clock.now();
    const notBefore = input.notBefore && input.notBefore > now ? input.notBefore : null;
    return {
      id: randomUUID(),
      workspaceId: input.workspaceId,
      contactId: contact.id,
      direction: 'outbound',
      type: input.type,
      phone: contact.phone,
      sender: null,
      body: draft.body,
      segments: draft.segments,
      encoding: draft.encoding,
      status: 'queued',
      reason: null,
      policyTrace: [],
      deferredUntil: notBefore,
      idempotencyKey: input.idempotencyKey,
      origin: input.origin ?? {},
      provider: null,
      providerMessageId: null,
      errorCode: null,
      createdAt: now,
    };
  }

  private linkRows(row: { id: string; workspaceId: string }, draft: MessageDraft) {
    return draft.links.map((l) => ({ code: l.code, url: l.url, messageId: row.id, workspaceId: row.workspaceId }));
  }

  private async enqueue(row: NewMessage & { id: string }, delayMs: number): Promise<void> {
    const now = this.clock.now();
    const runAt = row.deferredUntil ?? (delayMs > 0 ? new Date(now.getTime() + delayMs) : undefined);
    // A system text answers a person who just wrote (STOP, HELP): it goes before the campaign's queued jobs.
    await this.jobs.enqueue('sms.send', { workspaceId: row.workspaceId, messageId: row.id }, { runAt, now, priority: row.type === 'system' ? 1 : undefined });
  }

  /** Messages due now go out in batch jobs (one per page); those with a later start get their own timed job. */
  private async enqueueMany(rows: (NewMessage & { id: string })[]): Promise<void> {
    const now = this.clock.now();
    const dueNow = rows.filter((r) => !r.deferredUntil);
    const byWorkspace = new Map<string, string[]>();
    for (const row of dueNow) byWorkspace.set(row.workspaceId, [...(byWorkspace.get(row.workspaceId) ?? []), row.id]);
    const pages: JobPayloads['sms.send-batch'][] = [];
    for (const [workspaceId, ids] of byWorkspace) {
      for (let start = 0; start < ids.length; start += MAX_BATCH_JOB_IDS) pages.push({ workspaceId, messageIds: ids.slice(start, start + MAX_BATCH_JOB_IDS) });
    }
    await this.jobs.enqueueMany('sms.send-batch', pages);
    for (const row of rows.filter((r) => r.deferredUntil)) {
      await this.jobs.enqueue('sms.send', { workspaceId: row.workspaceId, messageId: row.id }, { runAt: row.deferredUntil!, now });
    }
    this.logger.debug({ count: rows.length, batches: pages.length }, 'messages enqueued');
  }
}
