import type { OptInMode } from '@optline/core';
import type { MessageType } from '../message/message.entity';

export interface ComposeInput {
  body: string;
  type: MessageType;
  brandName: string;
  optOutFooter: string;
  optInMode: OptInMode;
  /** Whether the workspace ever texted this person before. */
  contactedBefore: boolean;
  /** The rendered disclaimer (disclaimer mode's first message). */
  disclaimer: string;
}

const OPT_OUT_LANGUAGE = /\b(reply|text|txt|send|respond)\b[^.!?\n]{0,20}\b(stop|end|quit|cancel|unsubscribe|alto)\b|\bstop to (opt|end|cancel|unsubscribe|quit)/i;

/** Whether a body already tells the reader how to opt out. */
export function carriesOptOut(body: string, footer: string): boolean {
  return body.toLowerCase().includes(footer.toLowerCase()) || OPT_OUT_LANGUAGE.test(body);
}

/**
 * The text as it leaves, completed at send time:
 * - the first message a person ever gets from the workspace names the brand ("Acme: ..."), and in
 *   the workspace's disclaimer mode carries the disclaimer;
 * - marketing messages end with the workspace's opt-out footer unless they already carry one.
 * System texts are written complete (they name the brand and the keywords) and are left alone.
 */
export function composeOutgoing(input: ComposeInput): string {
  let body = input.body.trim();
  if (input.type === 'system') return body;
  if (!input.contactedBefore && !body.toLowerCase().includes(input.brandName.toLowerCase())) body = `${input.brandName}: ${body}`;
  if (input.type === 'marketing' && !carriesOptOut(body, input.optOutFooter)) body = `${body}\n${input.optOutFooter}`;
  if (!input.contactedBefore && input.optInMode === 'disclaimer' && input.type !== 'marketing' && !carriesOptOut(body, input.optOutFooter)) {
    body = `${body}\n${input.disclaimer}`;
  }
  return body;
}
