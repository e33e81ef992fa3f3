import { Injectable, Logger } from '@nestjs/common';
import { BatchOutcome, Clock, maskPhone, Metrics, SpanKind, Tracing, Workspace } from '@optline/core';
import { Message, PolicyTraceEntry } from '../message/message.entity';
import { runPolicies } from '../policies/policy-chain';
import { PolicyContext } from '../policies/send-policy';
import { ProviderError, SmsProvider } from '../providers/sms-provider';
import { SmsProviderRegistry } from '../providers/sms-provider.registry';
import { ResolvedProviderConfig } from '../providers/sms-provider-config.service';
import { ThroughputExceededError, ThroughputLimiter } from '../providers/throughput-limiter';
import { countSegments } from '../segments/segments';
import { SenderGate } from '../senders/sender-gate.service';
import type { BatchRouting, SenderRoute } from '../senders/sender-router';
import { composeOutgoing } from '../templates/message-composer';
import { TemplateRenderer } from '../templates/template-renderer';
import { systemTextData, systemTextTemplate } from '../texts/system-texts';
import type { DispatchOptions, DispatchResult } from './dispatch.types';
import { HandoffClaim, ONCE_ONLY_KINDS } from './handoff-claim.service';
import { SendOutcomeRecorder } from './send-outcome.recorder';

/** How long a throttled message waits before it asks for a slot again. */
const THROTTLE_RETRY_MS = 5_000;

/** Provider calls of one batch in flight at once (a real provider is an HTTP call each). */
const PROVIDER_CALLS_IN_FLIGHT = 32;

/**
 * Messages of a batch to an unlimited sender claimed at once: four waves of provider calls, so a
 * claimed message reaches the provider within a few calls' time (well inside the 1 s an opt-out
 * waits for hand-offs in flight, decision 0149) while a batch still takes few claims.
 */
const UNLIMITED_CLAIM_CHUNK = PROVIDER_CALLS_IN_FLIGHT * 4;

/** Providers whose call returns at once, in this process (nothing is on its way for long). */
const IN_PROCESS_PROVIDERS: string[] = ['console', 'null', 'twiml'];

/** Rate-limited messages whose slots come within this many ms of each other are claimed and handed off together. */
const TURN_MS = 5;

/** Claims tried for messages whose facts changed but whose policies still pass (a change that keeps them sendable). */
const CLAIM_ROUNDS = 3;

/**
 * How late after its rate-limit slot a message may still be claimed (decision 0144). A claim
 * that waited longer (on a sending lock, a slow or restarting database) leaves the
 * message queued to take a new slot: texts claimed at most this late after evenly spaced slots
 * put at most rate × (1 + 0.1) + 1 texts in any second at the carrier.
 */
const CLAIM_LATE_MS = 100;

/**
 * How late after its slot a claimed message may still be handed to the provider (decision 0159).
 * The claim may itself be on time and its COMMIT slow (row locks, a database going away) or the
 * process may stall after it: a claimed message past this is released — back to queued, never
 * called — and takes a new slot, so claims that complete together never reach the carrier together.
 * 100 ms, as for the claim: a one-second window then holds at most rate × 1.1 + 1 calls, and the
 * HTTP transit keeps the rest of the chaos suite's 20 % (at 150 ms, 40 msg/s reached 50 calls in
 * one second with the transit's jitter, one over).
 */
const CALL_LATE_MS = 100;

/**
 * How long before its slot a paced message is claimed (decision 0159): the claim (a transaction of
 * a few statements) is done ahead, and the provider call waits for the slot's instant. On a loaded
 * machine a claim takes longer than the lateness allowed after the slot; made ahead, it costs no
 * slot. Short enough that an opt-out waiting for hand-offs in flight (at most 1 s, 0149) covers it.
 */
const CLAIM_LEAD_MS = 250;

/** New slots a message takes after claims that came too late, before it is re-armed as throttled. */
const LATE_ROUNDS = 3;

/** A message every policy let through, about to be handed off. */
export interface PassedMessage {
  message: Message;
  context: PolicyContext;
  trace: PolicyTraceEntry[];
  finalAttempt: boolean;
}

interface Prepared extends PassedMessage {
  body: string;
  segments: number;
  encoding: string;
  /** A paced message: claim it by this machine time or not at all (HandoffClaim). */
  claimBy?: number;
  /** A paced message: its slot (machine time); the provider call is not made before it. */
  slotAt?: number;
  /** A paced message: hand it to the provider by this machine time, or release its claim (0159). */
  callBy?: number;
  /** The workspace's sender it leaves from; none = the provider's own `from` (docs/senders.md). */
  route?: SenderRoute;
}

/**
 * The hand-off itself, for a batch of messages of one workspace: final text, throughput, the
 * claim (one transaction for the batch, right before the provider calls: the last consent and
 * suppression check, atomic with moving each row to `sending` only if still queued or deferred,
 * so nothing leaves after an opt-out and two workers never both call the provider), the provider
 * calls and their outcomes.
 */
@Injectable()
export class ProviderHandoff {
  private readonly logger = new Logger('ProviderHandoff');

  constructor(
    private readonly claims: HandoffClaim,
    private readonly providers: SmsProviderRegistry,
    private readonly limiter: ThroughputLimiter,
    private readonly renderer: TemplateRenderer,
    private readonly outcomes: SendOutcomeRecorder,
    private readonly clock: Clock,
    private readonly senders: SenderGate,
    private readonly metrics: Metrics,
    private readonly tracing: Tracing,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  /** result[i] is what became of passed[i]; an error outcome asks the caller's job to retry it. */
  async sendMany(workspace: Workspace, passed: PassedMessage[], options: Pick<DispatchOptions, 'provider' | 'maxSlotWaitMs'> = {}): Promise<BatchOutcome<DispatchResult>[]> {
    if (passed.length === 0) return [];
    let resolved: { provider: SmsProvider; config: ResolvedProviderConfig };
    try {
      resolved = options.provider ?? (await this.providers.forWorkspace(workspace.id));
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      const reason = error.code ?? 'provider_not_configured';
      await this.outcomes.refusedMany(passed.map((p) => ({ message: p.message, decision: { outcome: 'block', reason }, trace: p.trace })));
      return passed.map(() => ({ ok: true, value: 'blocked' }));
    }
    const results = new Map<string, BatchOutcome<DispatchResult>>();
    const routed = await this.routeToSenders(workspace, await this.prepare(workspace, passed), results);
    const { routing } = routed;
    // The brand's daily allowance is taken for the whole batch up front, never between a slot and its claim.
    const { within: prepared, reserved } = await this.withinDailyCap(workspace, routed.prepared, results, routing);
    const { config } = resolved;
    const perSecond = config.settings.messagesPerSecond;
    if (!perSecond && !routing.routes) {
      // An unlimited sender: a provider over the network is claimed and handed off a few waves of
      // calls at a time, so a message is claimed shortly before its call (an opt-out waits for
      // what is claimed: 0149); an in-process one (console, null) answers at once: one claim.
      const chunk = IN_PROCESS_PROVIDERS.includes(resolved.provider.kind) ? prepared.length : UNLIMITED_CLAIM_CHUNK;
      for (let start = 0; start < prepared.length; start += chunk) {
        await this.handOff(workspace, prepared.slice(start, start + chunk), resolved, results);
      }
    } else {
      // A rate-limited sender hands each message off when its slot comes (evenly spaced, as the
      // carrier meters them), never claiming it before; messages whose slots come in the same
      // turn of the event loop are claimed and handed off together.
      const senderKey = `${workspace.id}:${config.settings.from ?? config.settings.messagingServiceSid ?? config.kind}`;
      // A claim that came too late after its slot leaves the message queued: it takes a new slot.
      const late = new Map<string, Prepared>();
      const together = new TurnBatcher<Prepared>(async (group) => {
        for (const p of await this.handOff(workspace, group, resolved, results)) late.set(p.message.id, p);
      });
      await inBatches(prepared, PROVIDER_CALLS_IN_FLIGHT, async (p) => {
        let next: Prepared | undefined = p;
        for (let round = 1; next; round++) {
          // A message routed to one of the workspace's senders is held to that sender's rate.
          const [admitted] = await this.admit([next], next.route?.limiterKey ?? senderKey, next.route?.perSecond ?? perSecond ?? 0, results, options.maxSlotWaitMs);
          if (!admitted) return;
          await together.add(admitted);
          next = late.get(p.message.id);
          late.delete(p.message.id);
          if (next && round === LATE_ROUNDS) {
            this.logger.warn({ workspaceId: workspace.id, messageId: p.message.id }, 'hand-off claims keep coming too late after their slots; trying again later');
            await this.outcomes.rearm(next.message, new Date(this.clock.nowMs() + THROTTLE_RETRY_MS), 'throttled', isPriority(next));
            results.set(p.message.id, { ok: true, value: 'throttled' });
            return;
          }
        }
      });
    }
    await this.releaseUnsent(workspace, reserved, results);
    return passed.map((p) => results.get(p.message.id)!);
  }

  /** Daily allowance taken for messages that did not reach the provider after all (blocked, throttled, held, to retry) goes back. */
  private async releaseUnsent(workspace: Workspace, reserved: Prepared[], results: Map<string, BatchOutcome<DispatchResult>>): Promise<void> {
    const reachedProvider = (id: string) => {
      const outcome = results.get(id);
      return outcome?.ok === true && ['sent', 'ambiguous', 'failed'].includes(outcome.value);
    };
    await this.senders.release(workspace.id, reserved.filter((p) => !reachedProvider(p.message.id)).length);
  }

  private async handOff(
    workspace: Workspace,
    group: Prepared[],
    { provider, config }: { provider: SmsProvider; config: ResolvedProviderConfig },
    results: Map<string, BatchOutcome<DispatchResult>>,
  ): Promise<Prepared[]> {
    const { handed, late } = await this.claim(workspace, group, provider.kind, results);
    if (handed.length > 1) this.logger.log({ workspaceId: workspace.id, provider: provider.kind, count: handed.length }, 'handing off a batch');
    const tooLate: Prepared[] = [];

    const accepted: { message: Message; providerMessageId: string; sender: string | null }[] = [];
    const failed: { message: Message; error: ProviderError; finalAttempt: boolean }[] = [];
    await inBatches(handed, PROVIDER_CALLS_IN_FLIGHT, async (p) => {
      const sending: Message = { ...p.message, body: p.body, provider: provider.kind, status: 'sending' };
      // Claimed ahead of its slot (CLAIM_LEAD_MS): the call waits for the slot's instant.
      const early = p.slotAt === undefined ? 0 : p.slotAt - Date.now();
      if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));
      if (p.callBy !== undefined && Date.now() > p.callBy) {
        // Claimed in time but not called in time (a slow commit, a stalled process): not now.
        tooLate.push(p);
        return;
      }
      if (handed.length === 1) this.logger.log({ workspaceId: workspace.id, messageId: p.message.id, to: maskPhone(p.context.phone), provider: provider.kind }, 'handing off');
      const started = process.hrtime.bigint();
      // Tracing on: the hand-off continues the trace its message came from (a webhook's, through its flow run).
      const span = this.tracing.start('sms.handoff', {
        kind: SpanKind.CLIENT,
        parent: p.message.origin?.trace,
        requireParent: true,
        attributes: { 'optline.message_id': p.message.id, 'optline.message_type': p.message.type, 'optline.provider': provider.kind, 'optline.segments': p.segments },
      });
      try {
        const acceptance = await provider.send({
          messageId: p.message.id,
          workspaceId: workspace.id,
          to: p.context.phone!,
          body: p.body,
          statusCallbackUrl: `${this.providers.statusCallbackUrl(workspace.id, config.kind)}?messageId=${p.message.id}`,
          from: p.route?.sender.address,
        });
        this.metrics.providerCall(provider.kind, started);
        span?.setAttributes({ 'optline.provider_message_id': acceptance.providerMessageId });
        span?.end();
        accepted.push({ message: sending, providerMessageId: acceptance.providerMessageId, sender: acceptance.sender });
      } catch (error) {
        const failure = error instanceof ProviderError ? error : new ProviderError('ambiguous', 'adapter_error', (error as Error).message);
        this.metrics.providerCall(provider.kind, started, failure);
        span?.setAttributes({ 'optline.error_kind': failure.kind, 'optline.error_code': failure.code ?? undefined });
        span?.end(failure);
        failed.push({ message: sending, error: failure, finalAttempt: p.finalAttempt });
      }
    });
    if (tooLate.length > 0) late.push(...(await this.releaseLate(workspace, tooLate, results)));
    await this.outcomes.acceptedMany(workspace.id, accepted);
    for (const a of accepted) results.set(a.message.id, { ok: true, value: 'sent' });
    for (const f of failed) {
      const retry = await this.outcomes.providerFailed(f.message, f.error, f.finalAttempt);
      results.set(f.message.id, retry ? { ok: false, error: f.error } : { ok: true, value: f.error.kind === 'ambiguous' ? 'ambiguous' : 'failed' });
    }
    return late;
  }

  /**
   * Messages claimed but not handed to the provider in time go back to `queued` (nothing was
   * called) to take new slots (their daily allowance stays taken until the batch ends). One whose claim was taken
   * over meanwhile (a stale hand-off swept) is left to whoever holds it.
   */
  private async releaseLate(workspace: Workspace, tooLate: Prepared[], results: Map<string, BatchOutcome<DispatchResult>>): Promise<Prepared[]> {
    const released = await this.claims.release(
      workspace.id,
      tooLate.map((p) => p.message.id),
    );
    this.logger.debug({ workspaceId: workspace.id, count: released.size }, 'claimed texts not handed off in time after their slots: released for new slots');
    for (const p of tooLate) if (!released.has(p.message.id)) results.set(p.message.id, { ok: true, value: 'not_claimable' });
    return tooLate.filter((p) => released.has(p.message.id));
  }

  /**
   * Claims the admitted messages, the last check included (HandoffClaim). A message whose
   * person's consent or suppression changed while it waited is decided again on the facts as they
   * are now: blocked (an opt-out), held, or claimed after all when the change keeps it sendable.
   * A paced message whose claim came past its `claimBy` is returned as late, unclaimed.
   */
  private async claim(
    workspace: Workspace,
    admitted: Prepared[],
    provider: string,
    results: Map<string, BatchOutcome<DispatchResult>>,
  ): Promise<{ handed: Prepared[]; late: Prepared[] }> {
    const handed: Prepared[] = [];
    const late: Prepared[] = [];
    let pending = admitted;
    for (let round = 0; pending.length > 0; round++) {
      if (round === CLAIM_ROUNDS) {
        // Facts that keep changing under the message: look again shortly, as a throttled one.
        for (const p of pending) {
          await this.outcomes.rearm(p.message, new Date(this.clock.nowMs() + THROTTLE_RETRY_MS), 'recheck');
          results.set(p.message.id, { ok: true, value: 'throttled' });
        }
        break;
      }
      const { claimed, changed, late: tooLate } = await this.claims.claim(
        workspace.id,
        pending.map((p) => ({
          id: p.message.id,
          contactId: p.context.contactId,
          phone: p.context.phone,
          body: p.body,
          segments: p.segments,
          encoding: p.encoding,
          trace: p.trace,
          onceKind: p.message.type === 'system' && ONCE_ONLY_KINDS.includes(p.context.message.systemKind!) ? p.context.message.systemKind : null,
          seen: { consent: p.context.consent, suppressed: p.context.suppressed, lastOfKind: lastOfKindSeen(p.context) },
          claimBy: p.claimBy,
        })),
        // handed_off_at: when the claim is made, after any wait for the lock.
        { provider, at: () => this.clock.now() },
      );
      const again: Prepared[] = [];
      const refused: Parameters<SendOutcomeRecorder['refusedMany']>[0] = [];
      for (const p of pending) {
        if (claimed.has(p.message.id)) {
          handed.push(p);
          continue;
        }
        if (tooLate.has(p.message.id)) {
          late.push(p);
          continue;
        }
        const now = changed.get(p.message.id);
        if (!now) {
          results.set(p.message.id, { ok: true, value: 'not_claimable' });
          continue;
        }
        const context: PolicyContext = { ...p.context, consent: now.consent, suppressed: now.suppressed };
        if (now.lastOfKind && p.context.message.systemKind) {
          context.history = { ...context.history, lastSystemHandoff: { ...context.history.lastSystemHandoff, [p.context.message.systemKind]: now.lastOfKind } };
        }
        const { decision, trace } = runPolicies(context, { all: false });
        const decisive = trace.find((t) => t.policy === decision.policy);
        if (decisive) decisive.detail = { ...decisive.detail, checkedAt: 'handoff', note: 'its facts changed while the message waited for its hand-off' };
        if (decision.outcome === 'pass') {
          again.push({ ...p, context, trace });
        } else if (decision.outcome === 'hold') {
          await this.outcomes.held(p.message, workspace, decision, trace);
          results.set(p.message.id, { ok: true, value: 'held' });
        } else {
          // Consent and suppression only ever block (a deferral or a failure comes from policies whose facts did not change).
          refused.push({ message: p.message, decision, trace });
          results.set(p.message.id, { ok: true, value: 'blocked' });
        }
      }
      if (refused.length > 0) {
        this.logger.log({ workspaceId: workspace.id, count: refused.length }, 'blocked at the hand-off: consent or suppression changed since the decision');
        await this.outcomes.refusedMany(refused);
      }
      pending = again;
    }
    return { handed, late };
  }

  /**
   * Picks each message's sender when the workspace has senders (docs/senders.md). A message no
   * sender may carry is blocked (`no_sender_for_type`); a system reply with no two-way sender
   * leaves from the provider's own `from`.
   */
  private async routeToSenders(
    workspace: Workspace,
    prepared: Prepared[],
    results: Map<string, BatchOutcome<DispatchResult>>,
  ): Promise<{ prepared: Prepared[]; routing: BatchRouting }> {
    const routing = await this.senders.route(workspace.id, prepared.map((p) => ({ id: p.message.id, type: p.message.type, phone: p.context.phone ?? '' })));
    if (!routing.routes) return { prepared, routing };
    const routed: Prepared[] = [];
    const refused: Parameters<SendOutcomeRecorder['refusedMany']>[0] = [];
    for (const p of prepared) {
      const route = routing.routes.get(p.message.id) ?? undefined;
      if (route || p.message.type === 'system') {
        routed.push({ ...p, route });
        continue;
      }
      const decision = { outcome: 'block' as const, reason: 'no_sender_for_type', policy: 'sender' };
      const trace: PolicyTraceEntry[] = [...p.trace, { policy: 'sender', outcome: 'block', reason: 'no_sender_for_type', detail: { note: `no enabled sender of this workspace may carry ${p.message.type} texts` } }];
      refused.push({ message: p.message, decision, trace });
      results.set(p.message.id, { ok: true, value: 'blocked' });
    }
    if (refused.length > 0) await this.outcomes.refusedMany(refused);
    return { prepared: routed, routing };
  }

  /**
   * Takes the brand's daily allowance for the batch's messages through capped senders (10DLC),
   * once, before any slot is asked for (a Redis call between a slot and its claim would make
   * claims late); those over it wait, deferred, for the next day (docs/senders.md). Returns the
   * rest and the messages allowance was taken for (given back by releaseUnsent).
   */
  private async withinDailyCap(
    workspace: Workspace,
    group: Prepared[],
    results: Map<string, BatchOutcome<DispatchResult>>,
    routing: BatchRouting,
  ): Promise<{ within: Prepared[]; reserved: Prepared[] }> {
    const capped = group.filter((p) => p.route?.capped);
    if (capped.length === 0) return { within: group, reserved: [] };
    const granted = await this.senders.reserve(workspace.id, capped.length, routing);
    const over = new Set(capped.slice(granted).map((p) => p.message.id));
    if (over.size === 0) return { within: group, reserved: capped };
    const until = this.senders.nextDay();
    this.logger.warn({ workspaceId: workspace.id, count: over.size, dailyCap: routing.dailyCap }, "the brand's daily cap is reached: messages wait for the next day");
    await this.outcomes.deferredMany(
      group
        .filter((p) => over.has(p.message.id))
        .map((p) => ({
          message: p.message,
          until,
          reason: 'daily_cap',
          trace: [...p.trace, { policy: 'sender', outcome: 'defer', reason: 'daily_cap', detail: { dailyCap: routing.dailyCap, sender: p.route!.sender.address } }],
        })),
    );
    for (const id of over) results.set(id, { ok: true, value: 'deferred' });
    return { within: group.filter((p) => !over.has(p.message.id)), reserved: capped.slice(0, granted) };
  }

  /** The text as it leaves: brand prefix, opt-out footer, the disclaimer of a first text. */
  private async prepare(workspace: Workspace, passed: PassedMessage[]): Promise<Prepared[]> {
    let disclaimer: string | null = null;
    const prepared: Prepared[] = [];
    for (const p of passed) {
      const needsDisclaimer = !p.context.history.contactedBefore && workspace.optInMode === 'disclaimer';
      if (needsDisclaimer && disclaimer === null) disclaimer = await this.renderer.render(systemTextTemplate(workspace, 'disclaimer'), systemTextData(workspace));
      const body = composeOutgoing({
        body: p.message.body,
        type: p.message.type,
        brandName: workspace.brandName,
        optOutFooter: workspace.policy.optOutFooter,
        optInMode: workspace.optInMode,
        contactedBefore: p.context.history.contactedBefore,
        disclaimer: needsDisclaimer ? disclaimer! : '',
      });
      const counted = countSegments(body);
      prepared.push({ ...p, body, segments: counted.segments, encoding: counted.encoding });
    }
    return prepared;
  }

  /**
   * Reserves a throughput slot for each message. A sender booked solid re-arms the rest for
   * later; an inline dispatch (`maxSlotWaitMs`) that got no slot hands its message to a job at once.
   */
  private async admit(
    group: Prepared[],
    senderKey: string,
    perSecond: number,
    results: Map<string, BatchOutcome<DispatchResult>>,
    maxSlotWaitMs: number | undefined,
  ): Promise<Prepared[]> {
    const admitted: Prepared[] = [];
    await Promise.all(
      group.map(async (p) => {
        const priority = isPriority(p);
        try {
          // Woken CLAIM_LEAD_MS before the slot, told the slot's own instant (machine time), not
          // when this line runs: a waiter woken late (a stalled event loop) knows how late (0159).
          const slotAt = await this.limiter.acquire(senderKey, perSecond, { priority, maxWaitMs: maxSlotWaitMs, leadMs: CLAIM_LEAD_MS });
          admitted.push({ ...p, slotAt, claimBy: slotAt + CLAIM_LATE_MS, callBy: slotAt + CALL_LATE_MS });
        } catch (error) {
          if (!(error instanceof ThroughputExceededError)) throw error;
          // No slot in time: look again later, without spending a retry.
          const later = maxSlotWaitMs === undefined ? THROTTLE_RETRY_MS : 0;
          await this.outcomes.rearm(p.message, new Date(this.clock.nowMs() + later), 'throttled', priority);
          results.set(p.message.id, { ok: true, value: 'throttled' });
        }
      }),
    );
    return admitted;
  }
}

/** Replies a person is waiting for (STOP confirmation, HELP, an agent's text) go before campaign traffic. */
function isPriority(p: PassedMessage): boolean {
  return p.message.type === 'system' || p.message.type === 'conversational';
}

/** The last hand-off of a once-only system text's kind its decision saw (history), null for none. */
function lastOfKindSeen(context: PolicyContext): Date | null {
  const kind = context.message.systemKind;
  return kind ? (context.history.lastSystemHandoff[kind] ?? null) : null;
}

/**
 * Gathers what arrives within TURN_MS (rate-limit slots that came at about the same time) into
 * one call of `run`; each `add` resolves when its group's run has ended. A message waits at
 * most TURN_MS after its slot: later than its slot, never earlier.
 */
class TurnBatcher<T> {
  private pending: { item: T; done: () => void; fail: (error: unknown) => void }[] = [];

  constructor(private readonly run: (items: T[]) => Promise<void>) {}

  add(item: T): Promise<void> {
    return new Promise<void>((done, fail) => {
      if (this.pending.length === 0) setTimeout(() => this.flush(), TURN_MS);
      this.pending.push({ item, done, fail });
    });
  }

  private flush(): void {
    const group = this.pending.splice(0);
    this.run(group.map((g) => g.item)).then(
      () => group.forEach((g) => g.done()),
      (error: unknown) => group.forEach((g) => g.fail(error)),
    );
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function inBatches<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
