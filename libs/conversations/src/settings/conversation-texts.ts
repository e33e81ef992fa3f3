/**
 * The texts of seed 004's two opt-in modes (docs/compliance.md "Two opt-in modes"), each a Liquid
 * template a workspace may replace. `client` texts are SMS to the contact (sent through the
 * gateway); `agent` texts are notices shown to staff in the conversation and on the stream.
 * The client's confirmations of YES / STOP / START are the workspace's keyword replies
 * (libs/messaging `opt_in_confirmation`, `stop_confirmation`, `start_confirmation`): one reply
 * per keyword, whoever is listening (docs/decisions/0133).
 */
export const CONVERSATION_TEXT_KEYS = [
  'optInRequest',
  'agentOptInRequested',
  'agentContactAttempted',
  'agentOptedIn',
  'agentOptedOut',
  'disclaimerOutbound',
  'disclaimerInbound',
] as const;
export type ConversationTextKey = (typeof CONVERSATION_TEXT_KEYS)[number];

export interface ConversationTextSpec {
  /** Who reads it: the contact (an SMS) or the agent (a notice). */
  audience: 'client' | 'agent';
  default: string;
  /** Words the text must keep (a request without "YES" and "STOP" cannot be answered). */
  mustMention: string[];
}

export const CONVERSATION_TEXTS: Readonly<Record<ConversationTextKey, ConversationTextSpec>> = {
  optInRequest: {
    audience: 'client',
    default:
      '[Auto Message] {{ agent.name }} is trying to reach you. As per company policy, you must provide your consent to continue messaging. To Opt in, reply YES. To opt out, reply STOP.',
    mustMention: ['YES', 'STOP'],
  },
  agentOptInRequested: {
    audience: 'agent',
    default: '[Auto Message] Your contact has been sent a request to Opt-in. Once they accept, you will be able to message with your contact.',
    mustMention: [],
  },
  agentContactAttempted: {
    audience: 'agent',
    default:
      '[Auto Message] A contact attempted to reach you. They have been sent a request to Opt-in. Once they accept, you will see their message and be able to reply.',
    mustMention: [],
  },
  agentOptedIn: {
    audience: 'agent',
    default: '[Auto Message] Your Contact has opted in. You may continue to send/receive messages.',
    mustMention: [],
  },
  agentOptedOut: {
    audience: 'agent',
    default: '[Auto Message] Your contact has opted out. No further messages can be sent to this contact until they have provided their consent again.',
    mustMention: [],
  },
  disclaimerOutbound: {
    audience: 'client',
    default: '[Auto Message] You are receiving messages from {{ agent.name }} on behalf of {{ workspace.brandName }}. To opt out, reply STOP.',
    mustMention: ['STOP'],
  },
  disclaimerInbound: {
    audience: 'client',
    default: '[Auto Message] You are messaging with {{ agent.name }} on behalf of {{ workspace.brandName }}. To opt out, reply STOP.',
    mustMention: ['STOP'],
  },
};

/** The variables a conversation text may use. */
export const CONVERSATION_TEXT_VARIABLES = ['agent.name', 'workspace.name', 'workspace.brandName', 'contact.firstName', 'contact.lastName', 'preference_url'];

/** Longest accepted template; a client text longer than a few segments is a mistake. */
export const CONVERSATION_TEXT_MAX_LENGTH = 640;

/** What a template is rendered with. */
export interface ConversationTextData {
  agent: { name: string };
  workspace: { name: string; brandName: string };
  contact: { firstName: string | null; lastName: string | null };
  /** The contact's preference page (decision 0169). */
  preference_url: string;
}

export function isConversationTextKey(key: string): key is ConversationTextKey {
  return (CONVERSATION_TEXT_KEYS as readonly string[]).includes(key);
}

/** The workspace's template for a text: its own, else the default. */
export function textTemplate(overrides: Partial<Record<string, string>>, key: ConversationTextKey): string {
  return overrides[key] ?? CONVERSATION_TEXTS[key].default;
}

/**
 * Problems with a proposed template other than unknown variables (the renderer checks those):
 * empty, too long, or missing a word the text must keep. Pure, so it is unit-tested.
 */
export function textProblems(key: ConversationTextKey, template: string): string[] {
  const problems: string[] = [];
  if (template.trim().length === 0) problems.push('must not be empty');
  if (template.length > CONVERSATION_TEXT_MAX_LENGTH) problems.push(`must be at most ${CONVERSATION_TEXT_MAX_LENGTH} characters`);
  for (const word of CONVERSATION_TEXTS[key].mustMention) {
    if (!new RegExp(`\\b${word}\\b`).test(template)) problems.push(`must tell the contact to reply ${word}`);
  }
  return problems;
}
