import type { SystemMessageKind } from '../message/message.entity';

/**
 * Default wording of the texts the hub writes itself (COMPLIANCE.md and seed 004). Each is a
 * Liquid template over `workspace` and `support`; a workspace overrides any of them in its
 * `texts` map under the same key.
 */
export const DEFAULT_TEXTS: Readonly<Record<SystemMessageKind | 'disclaimer', string>> = {
  stop_confirmation: "{{ workspace.brandName }}: You're unsubscribed and will receive no more messages. Reply START to resubscribe.",
  help: '{{ workspace.brandName }}: Help at {{ support }}. Msg&data rates may apply. Reply STOP to cancel.',
  start_confirmation: "{{ workspace.brandName }}: You're resubscribed. Msg freq varies. Msg&data rates may apply. Reply HELP for help, STOP to cancel.",
  opt_in_confirmation: '{{ workspace.brandName }}: Opt in confirmed. If you wish to opt out at any time, reply STOP.',
  opt_in_request: '{{ workspace.brandName }} is trying to reach you. To opt in, reply YES. To opt out, reply STOP.',
  disclaimer: 'You are receiving messages from {{ workspace.brandName }} on behalf of {{ workspace.name }}. To opt out, reply STOP.',
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

export function systemTextTemplate(workspace: TextWorkspace, key: SystemMessageKind | 'disclaimer'): string {
  return workspace.texts?.[key] ?? DEFAULT_TEXTS[key];
}

export function systemTextData(workspace: TextWorkspace): Record<string, unknown> {
  return {
    workspace: { name: workspace.name, brandName: workspace.brandName, supportEmail: workspace.supportEmail, supportPhone: workspace.supportPhone, supportUrl: workspace.supportUrl },
    support: supportLine(workspace),
  };
}
