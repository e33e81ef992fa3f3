import { Injectable } from '@nestjs/common';
import { BrandProfileService, WorkspaceService, type BrandProfileView } from '@optline/core';
import { DEFAULT_KEYWORDS } from '@optline/consent';
import { carriesOptOut, DEFAULT_TEXTS, SenderService, TemplateRenderer } from '@optline/messaging';
import { KitSources } from './kit-sources';
import type { ActiveSend, KitCampaign, KitFinding, KitSample } from './kit.types';
import { hasLink, hasPhone, isAgeGated, publicShortener, useCaseOf, USE_CASE_DESCRIPTIONS } from './use-cases';

export interface RegistrationKit {
  brand: BrandProfileView;
  campaigns: KitCampaign[];
  findings: KitFinding[];
}

/** The sample person every template is rendered for. */
const SAMPLE_CONTACT: Record<string, string> = { firstName: 'Alex', lastName: 'Rivera', phone: '+14155550142', email: 'alex@example.com' };

/**
 * Builds the workspace's sender registration kit from its real data: one campaign per use case of
 * its active flows, samples rendered from their send steps, the opt-in, opt-out and help texts
 * as they stand, and the consistency check (docs/registration.md).
 */
@Injectable()
export class RegistrationKitService {
  constructor(
    private readonly sources: KitSources,
    private readonly workspaces: WorkspaceService,
    private readonly profiles: BrandProfileService,
    private readonly renderer: TemplateRenderer,
    private readonly senders: SenderService,
  ) {}

  async build(workspaceId: string): Promise<RegistrationKit> {
    const [workspace, brand, sends, consent, disclosure, forms, senders] = await Promise.all([
      this.workspaces.get(workspaceId),
      this.profiles.get(workspaceId),
      this.sources.activeSends(workspaceId),
      this.sources.consentSources(workspaceId),
      this.sources.currentDisclosure(workspaceId),
      this.sources.hostedForms(workspaceId),
      this.senders.list(workspaceId).then((all) => all.filter((s) => s.enabled)),
    ]);
    const findings: KitFinding[] = brand.missing.map((field) => ({
      code: 'missing_brand_field' as const,
      message: `The brand profile has no ${field}`,
      useCase: null,
      flowId: null,
      flowName: null,
      stepId: null,
    }));
    const support = workspace.supportUrl ?? workspace.supportEmail ?? workspace.supportPhone ?? '';
    const systemText = async (key: 'stop_confirmation' | 'help') =>
      this.renderer.render(workspace.texts?.[key] ?? DEFAULT_TEXTS[key], { workspace: { brandName: workspace.brandName }, support }).catch(() => workspace.texts?.[key] ?? DEFAULT_TEXTS[key]);
    const [optOutReply, helpReply] = await Promise.all([systemText('stop_confirmation'), systemText('help')]);

    const byUseCase = new Map<string, ActiveSend[]>();
    for (const send of sends) {
      const useCase = useCaseOf(send.messageType, send.triggerEvent);
      byUseCase.set(useCase, [...(byUseCase.get(useCase) ?? []), send]);
    }

    const campaigns: KitCampaign[] = [];
    for (const [useCase, group] of byUseCase) {
      const messageType = group[0].messageType;
      const samples: KitSample[] = [];
      for (const send of group) {
        const where = { useCase, flowId: send.flowId, flowName: send.flowName, stepId: send.stepId };
        const text = await this.sample(send.template, workspace.brandName).catch((error: Error) => {
          findings.push({ code: 'template_not_renderable', message: `The template cannot be rendered for a sample contact: ${error.message}`, ...where });
          return null;
        });
        if (text === null) continue;
        samples.push({ flowId: send.flowId, flowName: send.flowName, stepId: send.stepId, template: send.template, text });
        if (brand.brandName && !text.toLowerCase().includes(brand.brandName.toLowerCase())) {
          findings.push({ code: 'brand_mismatch', message: `The message does not name the registered brand "${brand.brandName}": "${text}"`, ...where });
        }
        if (send.messageType === 'marketing' && !carriesOptOut(text, workspace.policy.optOutFooter)) {
          findings.push({ code: 'missing_opt_out', message: 'A marketing sample must say how to opt out (e.g. "Reply STOP to opt out"); the footer is added at send time, but the registered sample must show it', ...where });
        }
        const shortener = publicShortener(send.template);
        if (shortener) {
          findings.push({ code: 'public_shortener', message: `Public link shortener ${shortener}: carriers filter shared shorteners; use the branded | link filter`, ...where });
        }
      }
      const consentSources = consent.get(messageType) ?? [];
      if (consentSources.length === 0) {
        findings.push({ code: 'no_consent_source', message: `No ${messageType} opt-in is recorded in the consent ledger: vetting asks how consent is collected and proven`, useCase, flowId: null, flowName: null, stepId: null });
      }
      const carriers = senders.filter((s) => s.messageTypes.includes(messageType as never)).map((s) => s.address);
      if (senders.length > 0 && carriers.length === 0) {
        findings.push({ code: 'no_sender', message: `No enabled sender may carry ${messageType} texts: the gateway blocks them (Settings → Senders)`, useCase, flowId: null, flowName: null, stepId: null });
      }
      const all = group.map((s) => s.template).join('\n') + samples.map((s) => s.text).join('\n');
      campaigns.push({
        useCase,
        messageType,
        senders: carriers,
        description: [USE_CASE_DESCRIPTIONS[useCase], ...new Set(group.map((s) => s.flowDescription).filter((d): d is string => !!d))].join(' '),
        messageFlow: messageFlow(consentSources, forms, disclosure),
        samples,
        optOutKeywords: DEFAULT_KEYWORDS.stop.map((k) => k.toUpperCase()),
        optOutReply,
        helpKeywords: DEFAULT_KEYWORDS.help.map((k) => k.toUpperCase()),
        helpReply,
        consentSources,
        embeddedLinks: hasLink(all),
        embeddedPhone: hasPhone(samples.map((s) => s.text).join('\n')),
        ageGated: isAgeGated(all),
      });
    }
    return { brand, campaigns, findings };
  }

  /**
   * Renders a template for the sample contact. Other variables it reads (an order number, a
   * booking time) get a readable placeholder named after them, since no real event is at hand.
   */
  private async sample(template: string, brandName: string): Promise<string> {
    const data: Record<string, unknown> = { contact: { ...SAMPLE_CONTACT }, workspace: { brandName } };
    for (const path of this.renderer.validate(template, ['contact.firstName', 'contact.lastName', 'contact.phone', 'contact.email', 'workspace.brandName'])) {
      setPath(data, path.split('.'), /url|link/i.test(path) ? 'https://example.com/x' : `[${path.split('.').slice(1).join(' ') || path}]`);
    }
    return this.renderer.render(template, data);
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: string): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

function messageFlow(sources: string[], forms: string[], disclosure: string | null): string {
  const ways: string[] = [];
  if (forms.length) ways.push(`Customers enter their mobile number on our web form (${forms.join(', ')}) and tick an unchecked consent box`);
  else if (sources.includes('web_form')) ways.push('Customers enter their mobile number on our web form and tick an unchecked consent box');
  if (sources.includes('sms_keyword')) ways.push('Customers text a keyword (START) to our number');
  const other = sources.filter((s) => s !== 'web_form' && s !== 'sms_keyword');
  if (other.length) ways.push(`Consent is also recorded from: ${other.join(', ')}`);
  if (ways.length === 0) ways.push('No opt-in source is recorded yet');
  return `${ways.join('. ')}.${disclosure ? ` Disclosure shown at opt-in: "${disclosure}"` : ''}`;
}
