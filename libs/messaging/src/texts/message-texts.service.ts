import { Injectable } from '@nestjs/common';
import { ErrorDetail, ValidationFailedError, WorkspaceService } from '@optline/core';
import { TemplateRenderer } from '../templates/template-renderer';
import { DEFAULT_TEXTS, isSystemTextKey, SYSTEM_TEXT_KEYS, SYSTEM_TEXT_MUST_MENTION, SYSTEM_TEXT_VARIABLES, SystemTextKey } from './system-texts';

/** Longest accepted text: a keyword reply longer than a few segments is a mistake. */
export const SYSTEM_TEXT_MAX_LENGTH = 640;

export interface EffectiveMessageTexts {
  texts: Record<SystemTextKey, { template: string; default: string; customized: boolean }>;
  helpPreferenceLink: boolean;
}

/** The workspace's keyword replies and automatic texts: its own wording, else the defaults. */
@Injectable()
export class MessageTextsService {
  constructor(
    private readonly workspaces: WorkspaceService,
    private readonly renderer: TemplateRenderer,
  ) {}

  async effective(workspaceId: string): Promise<EffectiveMessageTexts> {
    const workspace = await this.workspaces.get(workspaceId);
    const own = workspace.texts ?? {};
    const texts = Object.fromEntries(
      SYSTEM_TEXT_KEYS.map((key) => [key, { template: own[key] ?? DEFAULT_TEXTS[key], default: DEFAULT_TEXTS[key], customized: own[key] !== undefined }]),
    ) as EffectiveMessageTexts['texts'];
    return { texts, helpPreferenceLink: workspace.policy.helpPreferenceLink ?? false };
  }

  /** Checks every proposed text (known key, known placeholders, the words it must keep) before storing any. */
  async update(workspaceId: string, change: { texts?: Record<string, unknown>; helpPreferenceLink?: boolean }): Promise<EffectiveMessageTexts> {
    const details: ErrorDetail[] = [];
    const accepted: Record<string, string | null> = {};
    for (const [key, template] of Object.entries(change.texts ?? {})) {
      const field = `texts.${key}`;
      if (!isSystemTextKey(key)) {
        details.push({ field, message: `unknown text; known texts are ${SYSTEM_TEXT_KEYS.join(', ')}` });
        continue;
      }
      if (template === null) {
        accepted[key] = null;
        continue;
      }
      if (typeof template !== 'string') {
        details.push({ field, message: 'must be a string (or null to restore the default)' });
        continue;
      }
      const problems = this.problems(key, template);
      for (const message of problems) details.push({ field, message });
      if (problems.length === 0) accepted[key] = template;
    }
    if (details.length > 0) throw new ValidationFailedError(details, 'unprocessable', 'invalid_message_texts');
    await this.workspaces.get(workspaceId);
    if (Object.keys(accepted).length > 0) await this.workspaces.setTexts(workspaceId, accepted);
    if (change.helpPreferenceLink !== undefined) await this.workspaces.update(workspaceId, { helpPreferenceLink: change.helpPreferenceLink });
    return this.effective(workspaceId);
  }

  private problems(key: SystemTextKey, template: string): string[] {
    const problems: string[] = [];
    if (template.trim().length === 0) problems.push('must not be empty');
    if (template.length > SYSTEM_TEXT_MAX_LENGTH) problems.push(`must be at most ${SYSTEM_TEXT_MAX_LENGTH} characters`);
    for (const word of SYSTEM_TEXT_MUST_MENTION[key] ?? []) {
      if (!new RegExp(`\\b${word}\\b`).test(template)) problems.push(`must tell the person to reply ${word}`);
    }
    try {
      const unknown = this.renderer.validate(template, SYSTEM_TEXT_VARIABLES);
      if (unknown.length > 0) problems.push(`unknown placeholder(s) ${unknown.join(', ')}; use ${SYSTEM_TEXT_VARIABLES.join(', ')}`);
    } catch (error) {
      problems.push((error as ValidationFailedError).details?.[0]?.message ?? 'is not a valid template');
    }
    return problems;
  }
}
