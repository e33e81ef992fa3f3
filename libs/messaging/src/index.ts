export * from './messaging.module';
export * from './messaging-api.module';
export * from './messaging-worker.module';
export { SendGateway, type PolicyVerdict } from './gateway/send-gateway.service';
export { type SubmitMessageInput } from './gateway/submit-message';
export { SendDispatcher } from './gateway/send-dispatcher.service';
export { MessageDrafter, type MessageDraft } from './gateway/message-drafter.service';
export type { DispatchResult, DispatchOptions } from './gateway/dispatch.types';
export { MessageReconciler } from './gateway/message-reconciler.service';
export {
  Message,
  MESSAGE_TYPES,
  MESSAGE_STATUSES,
  SYSTEM_MESSAGE_KINDS,
  type MessageType,
  type MessageStatus,
  type MessageDirection,
  type MessageOrigin,
  type SystemMessageKind,
  type PolicyTraceEntry,
} from './message/message.entity';
export { MessageLogService, type MessageLogQuery } from './message/message-log.service';
export { Link } from './links/link.entity';
export { LinkService, type PendingLink } from './links/link.service';
export { LinkDomainService } from './links/link-domain.service';
export { LinkDomainProbe, VERIFICATION_PATH } from './links/link-domain-probe';
export { TemplateRenderer, type LinkSink } from './templates/template-renderer';
export { carriesOptOut } from './templates/message-composer';
export { countSegments, type SegmentCount, type SmsEncoding } from './segments/segments';
export { InboundClaimants, type InboundClaimant, type InboundText } from './inbound/inbound-claimants';
export { RecipientNames, type RecipientNamer } from './texts/recipient-names';
export { DEFAULT_TEXTS, SYSTEM_TEXT_KEYS, type SystemTextKey } from './texts/system-texts';
export { InboundSmsService, type InboundSms, type InboundResult } from './inbound/inbound-sms.service';
export { SmsProviderConfig, PROVIDER_KINDS, type ProviderKind } from './providers/sms-provider-config.entity';
export { SenderService } from './senders/sender.service';
export { Sender } from './senders/sender.entity';
export { ConsoleSmsProvider } from './providers/console.provider';
export { STATE_RULES, FEDERAL_WINDOW, type StateRule, type LocalWindow } from './quiet-hours/state-windows';
export { resolveZones, type ZoneResolution, type ZoneSource } from './quiet-hours/zone-resolution';
export { evaluateSendWindow, earliestSendInstant, quietHoursExemption, type QuietHoursSettings } from './quiet-hours/send-window';
