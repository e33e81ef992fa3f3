import type { SystemMessageKind } from '../message/message.entity';

/**
 * The texts the hub writes itself, each a Liquid template a workspace may replace
 * (`PUT /v1/message-texts`). Defaults are the seeds' words (docs/decisions/0165):
 * - seed 003 (the automation program): the STOP confirmation and the HELP answer;
 * - seed 004 (one-to-one texting): the request a client gets when they write first, the opt-in
 *   and opt-out confirmations of a conversation, each starting with "[Auto Message]";
 * - Spanish versions answer Spanish keywords (PARAR, ALTO, CANCELAR, AYUDA, COMENZAR, SI...).
 */
export const SYSTEM_TEXT_KEYS = [
  'stop_confirmation',
  'stop_confirmation_conversation',
  'stop_confirmation_es',
  'help',
  'help_es',
  'start_confirmation',
  'start_confirmation_es',
  'opt_in_confirmation',
  'opt_in_confirmation_es',
  'opt_in_request',
  'opt_in_request_es',
  'opt_in_request_business',
  'disclaimer',
] as const;
export type SystemTextKey = (typeof SYSTEM_TEXT_KEYS)[number];

export const DEFAULT_TEXTS: Readonly<Record<SystemTextKey, string>> = {
  stop_confirmation: '{{ workspace.brandName }}: You have been unsubscribed and will receive no further text messages from this program. Reply HELP for help.',
  stop_confirmation_conversation: '[Auto Message] Opt out confirmed. If you change your mind, please reply with a new message.',
  stop_confirmation_es: '{{ workspace.brandName }}: Se ha cancelado su suscripción y no recibirá más mensajes de texto de este programa. Responda AYUDA para obtener ayuda.',
  help: '{{ workspace.brandName }}: Help at {{ support }}. Msg&data rates may apply. Reply STOP to cancel.',
  help_es: '{{ workspace.brandName }}: Ayuda en {{ support }}. Pueden aplicarse tarifas de mensajes y datos. Responda PARAR para cancelar.',
  start_confirmation: "{{ workspace.brandName }}: You're resubscribed. Msg freq varies. Msg&data rates may apply. Reply HELP for help, STOP to cancel.",
  start_confirmation_es:
    '{{ workspace.brandName }}: Se ha vuelto a suscribir. La frecuencia de mensajes varía. Pueden aplicarse tarifas de mensajes y datos. Responda AYUDA para ayuda, PARAR para cancelar.',
  opt_in_confirmation: '[Auto Message] Opt in confirmed. If you wish to opt out at any time, reply STOP.',
  opt_in_confirmation_es: '[Auto Message] Suscripción confirmada. Si desea cancelarla en cualquier momento, responda PARAR.',
  opt_in_request:
    '[Auto Message] You are trying to reach {% if recipient %}{{ recipient }} from {% endif %}{{ workspace.brandName }}. In order for your message to be delivered, please reply YES to opt in to receive text messages from {{ workspace.brandName }}. Msg&data rates may apply.',
  opt_in_request_es:
    '[Auto Message] Está intentando comunicarse con {% if recipient %}{{ recipient }} de {% endif %}{{ workspace.brandName }}. Para que su mensaje sea entregado, responda SI para aceptar recibir mensajes de texto de {{ workspace.brandName }}. Pueden aplicarse tarifas de mensajes y datos.',
  // The business writes first (an API text held in consent mode): seed 004's "<Name> is trying to reach you".
  opt_in_request_business: '[Auto Message] {{ workspace.brandName }} is trying to reach you. To opt in, reply YES. To opt out, reply STOP.',
  disclaimer: 'You are receiving messages from {{ workspace.brandName }} on behalf of {{ workspace.name }}. To opt out, reply STOP.',
};

/** Words a text must keep, or the person cannot act on it. */
export const SYSTEM_TEXT_MUST_MENTION: Readonly<Partial<Record<SystemTextKey, string[]>>> = {
  opt_in_request: ['YES'],
  opt_in_request_es: ['SI'],
  opt_in_request_business: ['YES'],
  help: ['STOP'],
  help_es: ['PARAR'],
  disclaimer: ['STOP'],
};

/** The variables a system text may use. */
export const SYSTEM_TEXT_VARIABLES = ['workspace.name', 'workspace.brandName', 'workspace.supportEmail', 'workspace.supportPhone', 'workspace.supportUrl', 'support', 'recipient', 'preference_url'];

/** Appended to the HELP answer when the workspace turns on `helpPreferenceLink`. */
export const HELP_PREFERENCE_SUFFIX: Readonly<Record<'en' | 'es', string>> = {
  en: 'Manage your texts: {{ preference_url }}',
  es: 'Sus preferencias: {{ preference_url }}',
};

export interface TextWorkspace {
  name: string;
  brandName: string;
  supportEmail: string | null;
  supportPhone: string | null;
  supportUrl: string | null;
  texts: Record<string, string>;
}

/** "+14155550100, help@acme.test or https://acme.test/help" — however the workspace can be reached. */
export function supportLine(workspace: TextWorkspace): string {
  const ways = [workspace.supportPhone, workspace.supportEmail, workspace.supportUrl].filter((w): w is string => Boolean(w));
  if (ways.length === 0) return 'our website';
  if (ways.length === 1) return ways[0];
  return `${ways.slice(0, -1).join(', ')} or ${ways[ways.length - 1]}`;
}

export function isSystemTextKey(key: string): key is SystemTextKey {
  return (SYSTEM_TEXT_KEYS as readonly string[]).includes(key);
}

export function systemTextTemplate(workspace: TextWorkspace, key: SystemTextKey): string {
  return workspace.texts?.[key] ?? DEFAULT_TEXTS[key];
}

/**
 * Which text answers a keyword: the Spanish one for a Spanish keyword, the conversation's opt-out
 * confirmation (seed 004) when the person was texting with staff, else the program's (seed 003).
 */
export function replyTextKey(kind: SystemMessageKind, language: 'en' | 'es', inConversation = false): SystemTextKey {
  if (kind === 'stop_confirmation') {
    if (language === 'es') return 'stop_confirmation_es';
    return inConversation ? 'stop_confirmation_conversation' : 'stop_confirmation';
  }
  if (language === 'es' && kind !== 'opt_in_request') return `${kind}_es` as SystemTextKey;
  if (language === 'es') return 'opt_in_request_es';
  return kind;
}

export interface SystemTextExtras {
  /** Whom a client who wrote first is trying to reach (seed 004's <Employee>): the conversation's owner or team. */
  recipient?: string | null;
  /** The contact's preference page. */
  preferenceUrl?: string | null;
}

export function systemTextData(workspace: TextWorkspace, extras: SystemTextExtras = {}): Record<string, unknown> {
  return {
    workspace: { name: workspace.name, brandName: workspace.brandName, supportEmail: workspace.supportEmail, supportPhone: workspace.supportPhone, supportUrl: workspace.supportUrl },
    support: supportLine(workspace),
    recipient: extras.recipient ?? null,
    preference_url: extras.preferenceUrl ?? null,
  };
}
