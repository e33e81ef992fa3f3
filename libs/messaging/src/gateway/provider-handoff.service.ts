import { Injectable, Logger } from '@nestjs/common';
import { Clock, maskPhone, Workspace } from '@optline/core';
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

/** The hand-off itself: final text, throughput, the claim, the provider call and its outcome. */
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

  async send(
    message: Message,
    context: PolicyContext,
    trace: PolicyTraceEntry[],
    workspace: Workspace,
    options: DispatchOptions,
  ): Promise<DispatchResult> {
    let resolved: { provider: SmsProvider; config: ResolvedProviderConfig };
    try {
      resolved = options.provider ?? (await this.providers.forWorkspace(message.workspaceId));
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      await this.outcomes.refused(message, { outcome: 'block', reason: error.code ?? 'provider_not_configured' }, trace);
      return 'blocked';
    }
    const { provider, config } = resolved;
    const needsDisclaimer = !context.history.contactedBefore && workspace.optInMode === 'disclaimer';
    const disclaimer = needsDisclaimer ? await this.renderer.render(systemTextTemplate(workspace, 'disclaimer'), systemTextData(workspace)) : '';
    const body = composeOutgoing({
      body: message.body,
      type: message.type,
      brandName: workspace.brandName,
      optOutFooter: workspace.policy.optOutFooter,
      optInMode: workspace.optInMode,
      contactedBefore: context.history.contactedBefore,
      disclaimer,
    });
    const counted = countSegments(body);
    const sender = config.settings.from ?? config.settings.messagingServiceSid ?? config.kind;
    try {
      await this.limiter.acquire(`${message.workspaceId}:${sender}`, config.settings.messagesPerSecond);
    } catch (error) {
      if (!(error instanceof ThroughputExceededError)) throw error;
      // The sender is booked solid: look again later, without spending a retry.
      await this.outcomes.rearm(message, new Date(this.clock.nowMs() + THROTTLE_RETRY_MS), 'throttled');
      return 'throttled';
    }

    const claimed = await this.messages.claimForHandoff(message.workspaceId, message.id, {
      body,
      segments: counted.segments,
      encoding: counted.encoding,
      provider: provider.kind,
      at: this.clock.now(),
      trace,
    });
    if (!claimed) return 'not_claimable';
    const sending: Message = { ...message, body, provider: provider.kind, status: 'sending' };
    this.logger.log({ workspaceId: message.workspaceId, messageId: message.id, to: maskPhone(context.phone), provider: provider.kind }, 'handing off');
    try {
      const acceptance = await provider.send({
        messageId: message.id,
        workspaceId: message.workspaceId,
        to: context.phone!,
        body,
        statusCallbackUrl: `${this.providers.statusCallbackUrl(message.workspaceId, config.kind)}?messageId=${message.id}`,
      });
      await this.outcomes.accepted(sending, acceptance);
      return 'sent';
    } catch (error) {
      const failure = error instanceof ProviderError ? error : new ProviderError('ambiguous', 'adapter_error', (error as Error).message);
      const retry = await this.outcomes.providerFailed(sending, failure, options.finalAttempt ?? true);
      if (retry) throw failure;
      return 'failed';
    }
  }
}
