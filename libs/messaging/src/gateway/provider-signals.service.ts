import { Injectable, Logger } from '@nestjs/common';
import { ConsentService, SuppressionService } from '@optline/consent';
import { maskPhone } from '@optline/core';

/**
 * What a provider's error says about a person, written where it belongs: "unsubscribed at the
 * provider" (Twilio 21610) is an opt-out in the consent ledger (source `provider`); an invalid or
 * landline number goes on the suppression list.
 */
@Injectable()
export class ProviderSignals {
  private readonly logger = new Logger(ProviderSignals.name);

  constructor(
    private readonly consent: ConsentService,
    private readonly suppression: SuppressionService,
  ) {}

  async optedOutAtProvider(workspaceId: string, contactId: string | null, phone: string | null, evidence: { provider: string; errorCode: string | null; messageId: string }): Promise<void> {
    if (contactId) {
      await this.consent.record(workspaceId, {
        contactId,
        types: 'all',
        state: 'opted_out',
        source: 'provider',
        evidence: { providerError: evidence.errorCode, provider: evidence.provider, messageId: evidence.messageId },
      });
    } else if (phone) {
      await this.suppression.add(workspaceId, { phone, reason: `provider_opt_out:${evidence.errorCode}`, actor: `provider:${evidence.provider}` });
    }
    this.logger.warn({ workspaceId, contactId, phone: maskPhone(phone), errorCode: evidence.errorCode }, 'provider reports the recipient unsubscribed: opted out');
  }

  async unreachableNumber(workspaceId: string, phone: string | null, evidence: { provider: string; errorCode: string | null }): Promise<void> {
    if (!phone) return;
    await this.suppression.add(workspaceId, { phone, reason: `invalid_number:${evidence.errorCode ?? 'unknown'}`, actor: `provider:${evidence.provider}` });
    this.logger.warn({ workspaceId, phone: maskPhone(phone), errorCode: evidence.errorCode }, 'provider reports the number cannot receive texts: suppressed');
  }
}
