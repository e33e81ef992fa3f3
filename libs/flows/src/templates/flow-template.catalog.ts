import { Injectable, Logger } from '@nestjs/common';
import { NotFoundError, validateObject } from '@optline/core';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { load } from 'js-yaml';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { FlowDefinition } from '../definition/flow-definition';
import { FlowDocumentDto } from '../definition/flow-document.dto';
import { assertFlowValid, toDefinition } from '../definition/flow-validator';

export const TEMPLATE_CATEGORIES = ['consent', 'ecommerce', 'marketing', 'transactional', 'scheduling', 'service', 'sales'] as const;

/** A built-in template file under config/flows/. */
export class FlowTemplateFileDto {
  @IsString()
  @Matches(/^[a-z0-9-]{2,64}$/)
  key: string;

  @IsString()
  @MaxLength(120)
  title: string;

  @IsIn(TEMPLATE_CATEGORIES as unknown as string[])
  category: string;

  @IsString()
  @MaxLength(500)
  summary: string;

  @IsObject()
  @ValidateNested()
  @Type(() => FlowDocumentDto)
  flow: FlowDocumentDto;
}

export interface FlowTemplate {
  key: string;
  title: string;
  category: string;
  summary: string;
  definition: FlowDefinition;
}

/** Finds config/flows from the source tree or a build (dist/…), whichever holds it. */
export function findTemplateDirectory(start = __dirname): string {
  const candidates = [resolve(process.cwd(), 'config/flows')];
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) candidates.push(join(dir, 'config/flows'));
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`config/flows not found (looked in ${candidates.slice(0, 3).join(', ')}, …)`);
  return found;
}

/**
 * Reads and checks every template file once. A broken template stops the hub at boot (it is
 * our file, not a user's), with the file and field named.
 */
export function loadFlowTemplates(directory = findTemplateDirectory()): FlowTemplate[] {
  return readdirSync(directory)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => {
      try {
        const file = validateObject(FlowTemplateFileDto, load(readFileSync(join(directory, name), 'utf8')));
        const definition = toDefinition(file.flow);
        assertFlowValid(definition);
        return { key: file.key, title: file.title, category: file.category, summary: file.summary, definition };
      } catch (error) {
        const detail = (error as { details?: { field?: string; message: string }[] }).details?.map((d) => `${d.field}: ${d.message}`).join('; ');
        throw new Error(`flow template ${name} is invalid: ${detail ?? (error as Error).message}`);
      }
    });
}

@Injectable()
export class FlowTemplateCatalog {
  private readonly logger = new Logger(FlowTemplateCatalog.name);
  private readonly templates: FlowTemplate[];

  constructor() {
    this.templates = loadFlowTemplates();
    this.logger.log(`loaded ${this.templates.length} built-in flow templates`);
  }

  list(): FlowTemplate[] {
    return this.templates;
  }

  get(key: string): FlowTemplate {
    const template = this.templates.find((t) => t.key === key);
    if (!template) throw new NotFoundError('Flow template', key);
    return template;
  }
}
