import { Injectable } from '@nestjs/common';
import { invalidField } from '@optline/core';
import { Liquid, Template } from 'liquidjs';

/** Receives each URL passed through the `link` filter and answers the URL to print instead. */
export type LinkSink = (url: string) => string;

const LINK_SINK = '__optlineLinkSink';

/** Parsed templates kept for reuse: a flow step renders the same template for every contact. */
const CACHE_LIMIT = 500;

/**
 * Liquid rendering for message bodies (LiquidJS, strict): an unknown variable or filter is an
 * error — at validation time for flow authors, and at send time as a refusal rather than a text
 * with a hole in it. The `link` filter turns a URL into a branded short link when the caller
 * passes a sink (the gateway does, recording one link per message); without one it prints the
 * URL unchanged (previews, the simulator).
 */
@Injectable()
export class TemplateRenderer {
  private readonly liquid = new Liquid({
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    cache: false,
    // Templates come from workspace users: bound what one render may cost.
    parseLimit: 20_000,
    renderLimit: 1_000,
    memoryLimit: 1_000_000,
  });

  private readonly parsed = new Map<string, Template[]>();

  constructor() {
    this.liquid.registerFilter('link', function (this: { context: { globals: Record<string, unknown> } }, url: unknown) {
      const sink = this.context.globals[LINK_SINK] as LinkSink | undefined;
      const text = String(url ?? '');
      return sink ? sink(text) : text;
    });
  }

  /**
   * The variables the template reads that are not among `knownVariables` (dotted paths such as
   * `contact.firstName`; a known path also covers what lies below it). An empty list means the
   * template is valid. A syntax error is a 422 on the field `template`.
   */
  validate(template: string, knownVariables: string[]): string[] {
    const used = this.liquid.globalFullVariablesSync(this.parse(template));
    const unknown = used.filter((path) => !knownVariables.some((known) => covers(known, path)));
    return [...new Set(unknown)].sort();
  }

  /** Renders `template` with `data`; throws a 422 (`template_error`) naming the problem. */
  async render(template: string, data: Record<string, unknown>, options: { links?: LinkSink } = {}): Promise<string> {
    try {
      const output: unknown = await this.liquid.render(this.parse(template), data, {
        globals: options.links ? { [LINK_SINK]: options.links } : {},
      });
      return String(output).trim();
    } catch (error) {
      throw invalidField('template', describe(error), 'template_error');
    }
  }

  private parse(template: string): Template[] {
    const hit = this.parsed.get(template);
    if (hit) return hit;
    let parsed: Template[];
    try {
      parsed = this.liquid.parse(template);
    } catch (error) {
      throw invalidField('template', describe(error), 'template_syntax');
    }
    if (this.parsed.size >= CACHE_LIMIT) this.parsed.delete(this.parsed.keys().next().value as string);
    this.parsed.set(template, parsed);
    return parsed;
  }
}

/** "contact" covers "contact.firstName"; "event.order" covers "event.order.id"; and vice versa for parents. */
function covers(known: string, used: string): boolean {
  return used === known || used.startsWith(`${known}.`) || used.startsWith(`${known}[`) || known.startsWith(`${used}.`);
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // LiquidJS appends the template excerpt and a stack; the first line says what went wrong.
  return message.split('\n')[0].replace(/, line:\d+, col:\d+$/, '');
}
