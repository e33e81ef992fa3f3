import { Injectable, Logger } from '@nestjs/common';
import { maskPhone, maskPreferenceTokensIn } from '@optline/core';
import { randomUUID } from 'node:crypto';
import { OutboundSms, ProviderAcceptance, SmsProvider } from './sms-provider';

const OUTBOX_LIMIT = 1000;

/**
 * The default provider: prints each text to the log and keeps the last ones in memory, so the
 * hub runs with no SMS account and a developer (or a test) can see what would have gone out.
 */
@Injectable()
export class ConsoleSmsProvider implements SmsProvider {
  readonly kind = 'console' as const;

  private readonly logger = new Logger('ConsoleSms');

  private readonly sent: (OutboundSms & { providerMessageId: string })[] = [];

  async send(sms: OutboundSms): Promise<ProviderAcceptance> {
    const providerMessageId = `console-${randomUUID()}`;
    this.sent.push({ ...sms, providerMessageId });
    if (this.sent.length > OUTBOX_LIMIT) this.sent.shift();
    this.logger.log({ messageId: sms.messageId, to: maskPhone(sms.to), body: maskPreferenceTokensIn(sms.body) }, 'SMS (console provider, not sent)');
    return { providerMessageId, sender: sms.from ?? 'console' };
  }

  /** What this process "sent" through the console provider, oldest first. */
  outbox(filter: { workspaceId?: string; to?: string } = {}): ReadonlyArray<OutboundSms & { providerMessageId: string }> {
    return this.sent.filter((s) => (!filter.workspaceId || s.workspaceId === filter.workspaceId) && (!filter.to || s.to === filter.to));
  }
}

/** Accepts every text and forgets it: for benchmarks of everything but the provider. */
@Injectable()
export class NullSmsProvider implements SmsProvider {
  readonly kind = 'null' as const;

  async send(sms: OutboundSms): Promise<ProviderAcceptance> {
    return { providerMessageId: `null-${randomUUID()}`, sender: sms.from ?? null };
  }
}
