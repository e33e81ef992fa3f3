import { Liquid } from 'liquidjs';
import { DateTime } from 'luxon';
import { toInstant } from '../time/relative-instant';

/** What a flow's Liquid templates can read. */
export interface TemplateData {
  contact: Record<string, unknown>;
  event: Record<string, unknown>;
  workspace: Record<string, unknown>;
  run: Record<string, unknown>;
  flow: Record<string, unknown>;
  reply?: Record<string, unknown> | null;
  /** The signed link to the recipient's preference page (change or stop what they receive). */
  preference_url?: string;
  /** The recipient's time zone, used by the `localtime` filter. */
  zone: string;
}

/** Variables a template may use; `event.*` and `contact.attributes.*` are open-ended. */
export const KNOWN_TEMPLATE_FIELDS: Record<string, readonly string[] | '*'> = {
  contact: ['id', 'firstName', 'lastName', 'phone', 'email', 'timeZone', 'attributes'],
  event: '*',
  workspace: ['name', 'brandName', 'supportEmail', 'supportPhone', 'supportUrl'],
  run: ['id', 'startedAt', 'arms'],
  flow: ['name'],
  reply: ['body', 'keyword'],
  preference_url: [],
};

const ZONE_VARIABLE = '__zone';
const LINK_SINK = '__linkSink';

/** Receives each URL passed through `| link` and answers the (branded) URL to print. */
export type FlowLinkSink = (url: string) => string;

/**
 * The one Liquid setup flows use, for rendering at run time, in the simulator, and for the
 * variable check at save time, so all three agree on what a template means.
 */
export class FlowTemplateEngine {
  private readonly liquid = new Liquid({ cache: 500, strictFilters: true, ownPropertyOnly: true });

  constructor() {
    // `{{ event.startsAt | localtime: "ccc LLL d 'at' h:mm a" }}` in the recipient's zone (luxon tokens).
    this.liquid.registerFilter('localtime', function (this: { context: { getSync(path: string[]): unknown } }, value: unknown, format?: unknown) {
      const instant = toInstant(value);
      if (!instant) return '';
      const zone = String(this.context.getSync([ZONE_VARIABLE]) ?? 'UTC');
      return DateTime.fromJSDate(instant, { zone }).toFormat(typeof format === 'string' ? format : "ccc LLL d 'at' h:mm a");
    });
    // `{{ event.checkoutUrl | link }}`: a branded short link in live runs, the URL itself in the
    // simulator and previews (no sink).
    this.liquid.registerFilter('link', function (this: { context: { globals: Record<string, unknown> } }, url: unknown) {
      const sink = this.context.globals[LINK_SINK] as FlowLinkSink | undefined;
      const text = String(url ?? '');
      return typeof sink === 'function' ? sink(text) : text;
    });
  }

  /** Parses a template; throws with Liquid's message when it is malformed. */
  variables(template: string): string[][] {
    return this.liquid.globalVariableSegmentsSync(template).map((segments) => segments.map(String));
  }

  /** Unknown variables (`contact.fristName`), or a parse error as the only entry. */
  check(template: string): { unknown: string[]; parseError: string | null } {
    let segments: string[][];
    try {
      segments = this.variables(template);
    } catch (error) {
      return { unknown: [], parseError: error instanceof Error ? error.message : String(error) };
    }
    const unknown = new Set<string>();
    for (const path of segments) {
      const [root, field] = path;
      const known = KNOWN_TEMPLATE_FIELDS[root];
      // An empty list is a plain value (`preference_url`): it has no fields.
      const scalar = known !== undefined && known !== '*' && known.length === 0;
      if (known === undefined || (scalar ? field !== undefined : known !== '*' && (field === undefined || !known.includes(field)))) {
        unknown.add(path.join('.'));
      }
    }
    return { unknown: [...unknown], parseError: null };
  }

  render(template: string, data: TemplateData, links?: FlowLinkSink): string {
    const { zone, ...scope } = data;
    return this.liquid
      .parseAndRenderSync(template, { ...scope, [ZONE_VARIABLE]: zone }, { globals: links ? { [LINK_SINK]: links } : {} })
      .replace(/[ \t]+\n/g, '\n')
      .trim();
  }
}

/** Shared instance: the engine is stateless apart from its parse cache. */
export const flowTemplates = new FlowTemplateEngine();
