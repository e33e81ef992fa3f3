import { Injectable } from '@nestjs/common';
import type { Contact } from '@optline/contacts';
import { invalidField, PreferenceLinks, Workspace } from '@optline/core';
import { PendingLink, LinkService } from '../links/link.service';
import { countSegments, SegmentCount } from '../segments/segments';
import { carriesOptOut } from '../templates/message-composer';
import { TemplateRenderer } from '../templates/template-renderer';
import type { SubmitMessageInput } from './submit-message';

export interface MessageDraft extends SegmentCount {
  body: string;
  links: PendingLink[];
}

/** What templates see of a contact. */
export function contactView(contact: Contact | null): Record<string, unknown> {
  return {
    id: contact?.id ?? null,
    firstName: contact?.firstName ?? null,
    lastName: contact?.lastName ?? null,
    email: contact?.email ?? null,
    phone: contact?.phone ?? null,
    timeZone: contact?.timeZone ?? null,
    attributes: contact?.attributes ?? {},
  };
}

export function workspaceView(workspace: Workspace): Record<string, unknown> {
  return {
    id: workspace.id,
    name: workspace.name,
    brandName: workspace.brandName,
    supportEmail: workspace.supportEmail,
    supportPhone: workspace.supportPhone,
    supportUrl: workspace.supportUrl,
  };
}

/**
 * Renders a submitted message (Liquid with contact, workspace and the caller's data; branded
 * links collected) and refuses a body over the workspace's segment limit — counting the opt-out
 * footer a marketing message will get.
 */
@Injectable()
export class MessageDrafter {
  constructor(
    private readonly renderer: TemplateRenderer,
    private readonly links: LinkService,
    private readonly preferences: PreferenceLinks,
  ) {}

  async draft(workspace: Workspace, contact: Contact | null, input: SubmitMessageInput, fieldPrefix = ''): Promise<MessageDraft> {
    const collector = this.links.collector(workspace.id);
    let body: string;
    if (input.template !== undefined) {
      const data = {
        ...(input.data ?? {}),
        contact: contactView(contact),
        workspace: workspaceView(workspace),
        // Every template may link the person to their preference page (change or stop texts).
        preference_url: contact ? this.preferences.urlFor(workspace.id, contact.id) : null,
      };
      try {
        body = await this.renderer.render(input.template, data, { links: collector.sink });
      } catch (error) {
        throw prefixField(error, fieldPrefix);
      }
    } else {
      body = input.body!.trim();
    }
    if (body.length === 0) throw invalidField(`${fieldPrefix}${input.template !== undefined ? 'template' : 'body'}`, 'the message renders to an empty text');
    const counted = countSegments(body);
    if (input.type !== 'system') {
      const footer = workspace.policy.optOutFooter;
      const withFooter = input.type === 'marketing' && !carriesOptOut(body, footer) ? countSegments(`${body}\n${footer}`) : counted;
      if (withFooter.segments > workspace.policy.maxSegments) {
        throw invalidField(
          `${fieldPrefix}${input.template !== undefined ? 'template' : 'body'}`,
          `the message is ${withFooter.segments} segments (${withFooter.encoding}${input.type === 'marketing' ? ', with the opt-out footer' : ''}); this workspace allows ${workspace.policy.maxSegments}`,
          'too_many_segments',
        );
      }
    }
    return { body, ...counted, links: input.template !== undefined ? collector.links : (input.links ?? []) };
  }
}

function prefixField(error: unknown, prefix: string): unknown {
  if (!prefix) return error;
  const details = (error as { details?: { field?: string }[] }).details;
  details?.forEach((d) => {
    if (d.field) d.field = `${prefix}${d.field}`;
  });
  return error;
}
