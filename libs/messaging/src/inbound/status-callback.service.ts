import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@optline/core';
import { SendOutcomeRecorder } from '../gateway/send-outcome.recorder';
import { ProviderSignals } from '../gateway/provider-signals.service';
import { MessageStatus } from '../message/message.entity';
import { MessageRepository } from '../message/message.repository';
import { twilioErrorKind } from '../providers/twilio-errors';

export interface StatusReport {
  provider: 'twilio' | 'http';
  /** Our message id, when the callback URL carried it (we add `?messageId=` to every callback URL). */
  messageId?: string;
  providerMessageId?: string;
  status: MessageStatus;
  errorCode?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Provider delivery reports: move the message forward only (late or repeated callbacks never
 * move it back), and act on what an error code says about the number (opt-out, unreachable).
 */
@Injectable()
export class StatusCallbackService {
  private readonly logger = new Logger(StatusCallbackService.name);

  constructor(
    private readonly messages: MessageRepository,
    private readonly outcomes: SendOutcomeRecorder,
    private readonly signals: ProviderSignals,
    private readonly clock: Clock,
  ) {}

  /** Returns whether the report moved a message. */
  async report(workspaceId: string, report: StatusReport): Promise<boolean> {
    const match = report.messageId && UUID.test(report.messageId) ? { id: report.messageId } : { providerMessageId: report.providerMessageId };
    if (!match.id && !match.providerMessageId) return false;
    const moved = await this.messages.advanceStatus(workspaceId, match, report.status, {
      errorCode: report.errorCode ?? null,
      at: this.clock.now(),
      providerMessageId: report.providerMessageId,
    });
    if (!moved) {
      this.logger.debug({ workspaceId, ...match, status: report.status }, 'status report ignored (unknown message, or not a step forward)');
      return false;
    }
    await this.outcomes.changed(moved, report.status);
    if (report.errorCode) {
      const kind = report.provider === 'twilio' ? twilioErrorKind(report.errorCode) : report.errorCode === 'opt_out' || report.errorCode === 'invalid_number' ? report.errorCode : 'permanent';
      const evidence = { provider: report.provider, errorCode: report.errorCode, messageId: moved.id };
      if (kind === 'opt_out') await this.signals.optedOutAtProvider(workspaceId, moved.contactId, moved.phone, evidence);
      if (kind === 'invalid_number') await this.signals.unreachableNumber(workspaceId, moved.phone, evidence);
    }
    return true;
  }
}
