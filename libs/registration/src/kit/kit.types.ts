/** One problem vetting would reject the registration for, and where to fix it. */
export interface KitFinding {
  code: 'brand_mismatch' | 'missing_opt_out' | 'public_shortener' | 'no_consent_source' | 'missing_brand_field' | 'template_not_renderable' | 'no_sender';
  message: string;
  useCase: string | null;
  flowId: string | null;
  flowName: string | null;
  stepId: string | null;
}

export interface KitSample {
  flowId: string;
  flowName: string;
  stepId: string;
  template: string;
  text: string;
}

export interface KitCampaign {
  useCase: string;
  messageType: string;
  /** The enabled senders that may carry this campaign's message type (docs/senders.md): the numbers to attach to it. */
  senders: string[];
  description: string;
  messageFlow: string;
  samples: KitSample[];
  optOutKeywords: string[];
  optOutReply: string;
  helpKeywords: string[];
  helpReply: string;
  consentSources: string[];
  embeddedLinks: boolean;
  embeddedPhone: boolean;
  ageGated: boolean;
}

/** Shown when an active flow sends a message: what its send steps were rendered from. */
export interface ActiveSend {
  flowId: string;
  flowName: string;
  flowDescription: string | null;
  messageType: string;
  triggerEvent: string;
  stepId: string;
  template: string;
}
