import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ValidationFailedError, Workspace, WorkspaceService, type ErrorDetail } from '@optline/core';
import { TemplateRenderer } from '@optline/messaging';
import { Repository } from 'typeorm';
import { ConversationSettings } from './conversation-settings.entity';
import {
  CONVERSATION_TEXT_KEYS,
  CONVERSATION_TEXT_VARIABLES,
  ConversationTextData,
  ConversationTextKey,
  isConversationTextKey,
  textProblems,
  textTemplate,
} from './conversation-texts';

/** A workspace's effective settings: every text resolved to its template. */
export interface EffectiveSettings {
  workspace: Workspace;
  teamName: string;
  texts: Record<ConversationTextKey, string>;
  /** Which texts the workspace changed. */
  customized: ConversationTextKey[];
}

export interface SettingsChange {
  /** null restores the default (the brand name). */
  teamName?: string | null;
  /** A template per key; null restores that text's default. */
  texts?: Record<string, string | null>;
}

/** Reads, validates (placeholders included) and renders the conversation texts of a workspace. */
@Injectable()
export class ConversationSettingsService {
  constructor(
    @InjectRepository(ConversationSettings) private readonly settings: Repository<ConversationSettings>,
    private readonly workspaces: WorkspaceService,
    private readonly renderer: TemplateRenderer,
  ) {}

  async effective(workspaceId: string): Promise<EffectiveSettings> {
    const [workspace, row] = await Promise.all([this.workspaces.get(workspaceId), this.settings.findOne({ where: { workspaceId } })]);
    const overrides = row?.texts ?? {};
    const texts = Object.fromEntries(CONVERSATION_TEXT_KEYS.map((key) => [key, textTemplate(overrides, key)])) as Record<ConversationTextKey, string>;
    return {
      workspace,
      teamName: row?.teamName ?? workspace.brandName,
      texts,
      customized: CONVERSATION_TEXT_KEYS.filter((key) => overrides[key] !== undefined),
    };
  }

  /** Validates every proposed text (unknown key, unknown placeholder, missing YES/STOP) before storing any. */
  async update(workspaceId: string, change: SettingsChange): Promise<EffectiveSettings> {
    await this.workspaces.get(workspaceId);
    const details: ErrorDetail[] = [];
    for (const [key, template] of Object.entries(change.texts ?? {})) {
      const field = `texts.${key}`;
      if (!isConversationTextKey(key)) {
        details.push({ field, message: `unknown text; known texts are ${CONVERSATION_TEXT_KEYS.join(', ')}` });
        continue;
      }
      if (template === null) continue;
      if (typeof template !== 'string') {
        details.push({ field, message: 'must be a string (or null to restore the default)' });
        continue;
      }
      for (const problem of textProblems(key, template)) details.push({ field, message: problem });
      try {
        const unknown = this.renderer.validate(template, CONVERSATION_TEXT_VARIABLES);
        if (unknown.length > 0) {
          details.push({ field, message: `unknown placeholder(s) ${unknown.join(', ')}; use ${CONVERSATION_TEXT_VARIABLES.join(', ')}`, unknown });
        }
      } catch (error) {
        details.push({ field, message: (error as ValidationFailedError).details?.[0]?.message ?? 'is not a valid template' });
      }
    }
    if (details.length > 0) throw new ValidationFailedError(details, 'unprocessable', 'invalid_conversation_texts');

    const row = (await this.settings.findOne({ where: { workspaceId } })) ?? this.settings.create({ workspaceId, teamName: null, texts: {} });
    const texts = { ...row.texts };
    for (const [key, template] of Object.entries(change.texts ?? {})) {
      if (template === null) delete texts[key];
      else texts[key] = template;
    }
    row.texts = texts;
    if (change.teamName !== undefined) row.teamName = change.teamName;
    await this.settings.save(row);
    return this.effective(workspaceId);
  }

  /** Renders one text; templates were validated on save, so this fails only on a renderer fault. */
  render(settings: EffectiveSettings, key: ConversationTextKey, data: Omit<ConversationTextData, 'workspace'>): Promise<string> {
    return this.renderer.render(settings.texts[key], {
      ...data,
      workspace: { name: settings.workspace.name, brandName: settings.workspace.brandName },
    });
  }
}
