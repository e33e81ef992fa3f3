import { Injectable, Logger } from '@nestjs/common';
import { BatchOutcome, Clock, maskPhone, Workspace } from '@optline/core';
import { Message, PolicyTraceEntry } from '../message/message.entity';
import { MessageRepository } from '../message/message.repository';
import { PolicyContext } from '../policies/send-policy';
import { ProviderError, SmsProvider } from '../providers/sms-provider';
import { SmsProviderRegistry } from '../providers/sms-provider.registry';
import { ResolvedProviderConfig } from '../providers/sms-provider-config.service';
import { ThroughputExceededError, ThroughputLimiter } from '../providers/throughput-limiter';
import { countSegments } from '../segments/segments';
import { composeOutgoing } from '../templates/message-composer';
import { TemplateRenderer } from '../templates/template-renderer';
import { systemTextData, systemTextTemplate } from '../texts/system-texts';
import type { DispatchOptions, DispatchResult } from './dispatch.types';
import { SendOutcomeRecorder } from './send-outcome.recorder';

/** How long a throttled message waits before it asks for a slot again. */
const THROTTLE_RETRY_MS = 5_000;

/** Provider calls of one batch in flight at once (a real provider is an HTTP call each). */
const PROVIDER_CALLS_IN_FLIGHT = 32;

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
}

/**
 * The hand-off itself, for a batch of messages of one workspace: final text, throughput, the
 * claim (one statement for the batch: each row moves to `sending` only if still queued or
 * deferred, so two workers never both call the provider), the provider calls and their outcomes.
 */
@Injectable()
export class ProviderHandoff {
  private readonly logger = new Logger('ProviderHandoff');

  constructor(
    private readonly messages: MessageRepository,
    private readonly providers: SmsProviderRegistry,
    private readonly limiter: ThroughputLimiter,
    private readonly renderer: TemplateRenderer,
    private readonly outcomes: SendOutcomeRecorder,
    private readonly clock: Clock,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  /** result[i] is what became of passed[i]; an error outcome asks the caller's job to retry it. */
  async sendMany(workspace: Workspace, passed: PassedMessage[], options: Pick<DispatchOptions, 'provider'> = {}): Promise<BatchOutcome<DispatchResult>[]> {
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
    const prepared = await this.prepare(workspace, passed);
    const results = new Map<string, BatchOutcome<DispatchResult>>();
    const perSecond = resolved.config.settings.messagesPerSecond;
    // A rate-limited sender hands each message off when its slot comes (evenly spaced, as the
    // carrier meters them); an unlimited one claims and hands off the whole batch at once.
    const groups = perSecond ? prepared.map((p) => [p]) : [prepared];
    await inBatches(groups, PROVIDER_CALLS_IN_FLIGHT, (group) => this.handOff(workspace, group, resolved, results));
    return passed.map((p) => results.get(p.message.id)!);
  }

  private async handOff(
    workspace: Workspace,
    group: Prepared[],
    { provider, config }: { provider: SmsProvider; config: ResolvedProviderConfig },
    results: Map<string, BatchOutcome<DispatchResult>>,
  ): Promise<void> {
    const sender = config.settings.from ?? config.settings.messagingServiceSid ?? config.kind;
    const admitted = await this.admit(group, `${workspace.id}:${sender}`, config.settings.messagesPerSecond, results);
    const rows = admitted.map((p) => ({ id: p.message.id, body: p.body, segments: p.segments, encoding: p.encoding, trace: p.trace }));
    const claimed = await this.messages.claimManyForHandoff(workspace.id, rows, { provider: provider.kind, at: this.clock.now() });
    const handed = admitted.filter((p) => claimed.has(p.message.id));
    for (const p of admitted) if (!claimed.has(p.message.id)) results.set(p.message.id, { ok: true, value: 'not_claimable' });
    if (handed.length > 1) this.logger.log({ workspaceId: workspace.id, provider: provider.kind, count: handed.length }, 'handing off a batch');

    const accepted: { message: Message; providerMessageId: string; sender: string | null }[] = [];
    const failed: { message: Message; error: ProviderError; finalAttempt: boolean }[] = [];
    await inBatches(handed, PROVIDER_CALLS_IN_FLIGHT, async (p) => {
      const sending: Message = { ...p.message, body: p.body, provider: provider.kind, status: 'sending' };
      if (handed.length === 1) this.logger.log({ workspaceId: workspace.id, messageId: p.message.id, to: maskPhone(p.context.phone), provider: provider.kind }, 'handing off');
      try {
        const acceptance = await provider.send({
          messageId: p.message.id,
          workspaceId: workspace.id,
          to: p.context.phone!,
          body: p.body,
          statusCallbackUrl: `${this.providers.statusCallbackUrl(workspace.id, config.kind)}?messageId=${p.message.id}`,
        });
        accepted.push({ message: sending, providerMessageId: acceptance.providerMessageId, sender: acceptance.sender });
      } catch (error) {
        const failure = error instanceof ProviderError ? error : new ProviderError('ambiguous', 'adapter_error', (error as Error).message);
        failed.push({ message: sending, error: failure, finalAttempt: p.finalAttempt });
      }
    });
    await this.outcomes.acceptedMany(workspace.id, accepted);
    for (const a of accepted) results.set(a.message.id, { ok: true, value: 'sent' });
    for (const f of failed) {
      const retry = await this.outcomes.providerFailed(f.message, f.error, f.finalAttempt);
      results.set(f.message.id, retry ? { ok: false, error: f.error } : { ok: true, value: 'failed' });
    }
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

  /** Reserves a throughput slot for each message; a sender booked solid re-arms the rest for later. */
  private async admit(group: Prepared[], senderKey: string, perSecond: number | undefined, results: Map<string, BatchOutcome<DispatchResult>>): Promise<Prepared[]> {
    if (!perSecond) return group;
    const admitted: Prepared[] = [];
    await Promise.all(
      group.map(async (p) => {
        try {
          await this.limiter.acquire(senderKey, perSecond);
          admitted.push(p);
        } catch (error) {
          if (!(error instanceof ThroughputExceededError)) throw error;
          // The sender is booked solid: look again later, without spending a retry.
          await this.outcomes.rearm(p.message, new Date(this.clock.nowMs() + THROTTLE_RETRY_MS), 'throttled');
          results.set(p.message.id, { ok: true, value: 'throttled' });
        }
      }),
    );
    return admitted;
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
