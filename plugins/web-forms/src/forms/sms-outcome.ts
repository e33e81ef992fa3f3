import type { ConsentMessageType, ConsentState } from '@optline/plugin-sdk';

/** The built-in flow that asks a form's signer for YES; enabling the plugin sets it up. */
export const DOUBLE_OPT_IN_TEMPLATE = 'optin-website-double';

/**
 * What a submission did about texting, decided when it is accepted (decision 0163), so the
 * success page and the JSON answer say what happened instead of always promising a text:
 * - `text_sent`: the box was ticked and an active opt-in flow will ask for YES;
 * - `no_consent`: the box was not ticked: nothing will be texted;
 * - `already_opted_in`: nothing to confirm;
 * - `awaiting_reply`: a confirmation was asked for earlier and is still unanswered (one request per person);
 * - `opted_out`: the person stopped our texts before: only their own START resubscribes;
 * - `texts_off`: no active opt-in flow (someone paused it): no text goes out.
 */
export type SmsOutcome = 'text_sent' | 'no_consent' | 'already_opted_in' | 'awaiting_reply' | 'opted_out' | 'texts_off';

export function smsOutcome(input: {
  checked: boolean;
  types: ConsentMessageType[];
  /** The person's consent before this submission (null: unknown number). */
  before: Record<ConsentMessageType, ConsentState> | null;
  optInFlowActive: boolean;
}): SmsOutcome {
  const { checked, types, before, optInFlowActive } = input;
  if (!checked) return 'no_consent';
  if (before && types.every((t) => before[t] === 'opted_in')) return 'already_opted_in';
  if (before && Object.values(before).includes('opted_out')) return 'opted_out';
  if (!optInFlowActive) return 'texts_off';
  if (before && types.some((t) => before[t] === 'pending')) return 'awaiting_reply';
  return 'text_sent';
}

/** The success page's text for each outcome; `text_sent` uses the form's own successText. */
export function outcomeMessage(outcome: SmsOutcome, successText: string): string {
  switch (outcome) {
    case 'text_sent':
      return successText;
    case 'no_consent':
      return 'Thanks, we have your details. You did not tick the box to get texts, so we will not text you.';
    case 'already_opted_in':
      return 'You are already subscribed to our texts. There is nothing else to do.';
    case 'awaiting_reply':
      return 'We already sent you a text to confirm. Reply YES to that text to start getting our messages.';
    case 'opted_out':
      return 'You asked us earlier to stop texting you, so we did not send a text. To subscribe again, text START to our number.';
    case 'texts_off':
      return 'Thanks, we have your request. Confirmation texts are switched off right now, so no text was sent; we will ask you to confirm later.';
  }
}
