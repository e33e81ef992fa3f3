import type { ConsentMessageType } from '@optline/plugin-sdk';

export const DEFAULT_FREQUENCY = 'Msg frequency varies';

const REQUIRED_ELEMENTS: { label: string; test: RegExp }[] = [
  { label: '"Msg & data rates may apply"', test: /msg\s*(&|and)\s*data rates may apply/i },
  { label: 'how to stop ("Reply STOP")', test: /\bSTOP\b/ },
  { label: 'how to get help ("HELP")', test: /\bHELP\b/ },
];

/** The carrier-required elements a disclosure text lacks (CTIA; Twilio 30540/30545). Pure. */
export function missingDisclosureElements(text: string): string[] {
  return REQUIRED_ELEMENTS.filter((e) => !e.test.test(text)).map((e) => e.label);
}

const TYPE_WORDS: Record<ConsentMessageType, string> = {
  marketing: 'marketing',
  transactional: 'account and order',
  conversational: 'conversational',
};

function joinWords(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

export interface DisclosureParts {
  brand: string;
  types: ConsentMessageType[];
  frequency?: string;
  termsUrl: string;
  privacyUrl: string;
}

/**
 * The disclosure shown next to the consent checkbox, with every element CTIA asks for: brand,
 * kind of messages, frequency, rates, STOP and HELP, terms and privacy links. Pure.
 */
export function composeDisclosure(parts: DisclosureParts): string {
  const kinds = joinWords(parts.types.map((t) => TYPE_WORDS[t]));
  const frequency = (parts.frequency ?? DEFAULT_FREQUENCY).replace(/\.\s*$/, '');
  return (
    `By checking this box, you agree to receive recurring automated ${kinds} text messages from ${parts.brand} ` +
    `at the phone number provided. Consent is not a condition of purchase. ${frequency}. Msg & data rates may apply. ` +
    `Reply STOP to cancel, HELP for help. Terms: ${parts.termsUrl} Privacy: ${parts.privacyUrl}`
  );
}
