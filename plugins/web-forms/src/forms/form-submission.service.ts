import { Injectable } from '@nestjs/common';
import { Clock, DomainError, ErrorDetail, ValidationFailedError } from '@optline/core';
import { CanonicalEvent, PluginHost } from '@optline/plugin-sdk';
import { randomUUID } from 'node:crypto';
import { FormConfig, STANDARD_FIELDS } from '../web-forms.config';
import type { ResolvedForm } from './form-directory.service';
import { outcomeMessage, SmsOutcome, smsOutcome } from './sms-outcome';
import type { SubmissionDto } from './submission.dto';

const DEFAULT_PER_IP_PER_HOUR = 20;
const DEFAULT_PER_PHONE_PER_HOUR = 3;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_FIELD_LENGTH = 200;

/** How a submission reached us, and what we know about the person's browser. */
export interface SubmissionContext {
  via: 'hosted_page' | 'json' | 'server';
  ip: string;
  userAgent: string | null;
  /** The page the person was on (embedding site, or the hosted page). */
  pageUrl: string | null;
  formUrl: string;
}

export type SubmissionResult =
  | { outcome: 'accepted'; eventId: string | null; duplicate: boolean; consentRequested: boolean; sms: SmsOutcome; message: string }
  /** The honeypot was filled: answered like a success, nothing stored. */
  | { outcome: 'trapped' };

/** Checks a submission against its form's fields. Pure: returns the problems, by field. */
export function fieldProblems(form: FormConfig, fields: Record<string, unknown>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const known = new Set(form.fields.map((f) => f.name));
  for (const name of Object.keys(fields)) if (!known.has(name)) problems.push({ field: `fields.${name}`, message: `${name} is not a field of this form` });
  for (const field of form.fields) {
    const value = fields[field.name];
    const text = typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : null;
    if (text === null) problems.push({ field: `fields.${field.name}`, message: `${field.label} must be text` });
    else if (!text) {
      if (field.required) problems.push({ field: `fields.${field.name}`, message: `${field.label} is required` });
    } else if (text.length > MAX_FIELD_LENGTH) problems.push({ field: `fields.${field.name}`, message: `${field.label} is too long (at most ${MAX_FIELD_LENGTH} characters)` });
    else if ((field.type === 'email' || field.name === 'email') && !EMAIL.test(text)) problems.push({ field: `fields.${field.name}`, message: `${field.label} must be an email address` });
    else if (field.type === 'date' && !DATE.test(text)) problems.push({ field: `fields.${field.name}`, message: `${field.label} must be a date (YYYY-MM-DD)` });
  }
  return problems;
}

/**
 * Turns one submission into a `form.submitted` event: abuse checks (honeypot, per-IP and
 * per-phone limits), field and phone validation, then the event with the consent evidence. A
 * ticked box asks for 'pending' consent (the double opt-in flow asks for YES); without it the
 * lead still flows, with no consent.
 */
@Injectable()
export class FormSubmissionService {
  constructor(
    private readonly host: PluginHost,
    private readonly clock: Clock,
  ) {}

  async submit(resolved: ResolvedForm, dto: SubmissionDto, context: SubmissionContext): Promise<SubmissionResult> {
    const { form, installation } = resolved;
    if (dto.website && dto.website.trim() !== '') return { outcome: 'trapped' };
    const bucket = `web-forms:${installation.id}:${form.key}`;
    await this.limit(`${bucket}:ip:${context.ip}`, form.rateLimits?.perIpPerHour ?? DEFAULT_PER_IP_PER_HOUR);

    const fields = dto.fields ?? {};
    const problems = fieldProblems(form, fields);
    const rawPhone = dto.phone?.trim() ?? '';
    const phone = rawPhone ? await this.host.normalizePhone(installation.workspaceId, rawPhone) : null;
    if (!rawPhone) problems.unshift({ field: 'phone', message: `${form.phoneLabel ?? 'Mobile phone'} is required` });
    else if (!phone) problems.unshift({ field: 'phone', message: 'Enter a valid mobile phone number, e.g. (415) 555-0123' });
    if (problems.length > 0) throw new ValidationFailedError(problems, 'unprocessable', 'invalid_submission');

    await this.limit(`${bucket}:phone:${phone}`, form.rateLimits?.perPhonePerHour ?? DEFAULT_PER_PHONE_PER_HOUR);
    const event = this.buildEvent(resolved, phone!, fields, dto, context);
    const sms = await this.smsOutcome(installation.workspaceId, phone!, form, dto.consent === true);
    const result = await this.host.emit(installation, [event]);
    return {
      outcome: 'accepted',
      eventId: result.storedIds[0] ?? null,
      duplicate: result.duplicates > 0,
      consentRequested: dto.consent === true,
      sms,
      message: outcomeMessage(sms, form.successText),
    };
  }

  /** Read before the event is stored: what the person's consent was, and whether a flow will ask for YES. */
  private async smsOutcome(workspaceId: string, phone: string, form: FormConfig, checked: boolean): Promise<SmsOutcome> {
    if (!checked) return 'no_consent';
    const [before, flowId] = await Promise.all([this.host.consentStatesOfPhone(workspaceId, phone), this.host.activeOptInFlowFor(workspaceId, 'form.submitted')]);
    return smsOutcome({ checked, types: form.consentTypes, before, optInFlowActive: flowId !== null });
  }

  private buildEvent(resolved: ResolvedForm, phone: string, fields: Record<string, unknown>, dto: SubmissionDto, context: SubmissionContext): CanonicalEvent {
    const { form, disclosure, formId } = resolved;
    const now = this.clock.now();
    const values = Object.fromEntries(
      Object.entries(fields)
        .map(([name, value]) => [name, String(value).trim()] as const)
        .filter(([, value]) => value !== ''),
    );
    const custom = Object.fromEntries(Object.entries(values).filter(([name]) => !(STANDARD_FIELDS as readonly string[]).includes(name)));
    const checked = dto.consent === true;
    const evidence = {
      checkbox: checked,
      checkboxPrechecked: false,
      consentTypes: form.consentTypes,
      disclosureId: disclosure.id,
      disclosureVersion: disclosure.version,
      ...(dto.disclosureId && dto.disclosureId !== disclosure.id && { disclosureIdPosted: dto.disclosureId }),
      formId,
      formKey: form.key,
      formUrl: context.formUrl,
      pageUrl: context.pageUrl,
      ip: context.ip,
      userAgent: context.userAgent,
      submittedVia: context.via,
      submittedAt: now.toISOString(),
      fields: values,
    };
    return {
      type: 'form.submitted',
      dedupeKey: `submission:${form.key}:${dto.submissionId ?? randomUUID()}`,
      occurredAt: now,
      contact: {
        phone,
        email: values.email ?? null,
        firstName: values.firstName ?? null,
        lastName: values.lastName ?? null,
        ...(Object.keys(custom).length > 0 && { attributes: custom }),
      },
      ...(checked && { consent: { types: form.consentTypes, state: 'pending' as const, evidence, disclosureId: disclosure.id, source: 'web_form' as const } }),
      correlation: { formId: form.key },
      data: {
        formId,
        formKey: form.key,
        formTitle: form.title,
        consentChecked: checked,
        consentTypes: checked ? form.consentTypes : [],
        fields: values,
        pageUrl: context.pageUrl,
        submittedVia: context.via,
      },
    };
  }

  private async limit(bucket: string, perHour: number): Promise<void> {
    const verdict = await this.host.rateLimit(bucket, perHour, 3600);
    if (!verdict.allowed) {
      throw new DomainError('rate_limited', 'too_many_submissions', 'Too many sign-ups from here; please try again later', [], verdict.retryAfterSeconds);
    }
  }
}
