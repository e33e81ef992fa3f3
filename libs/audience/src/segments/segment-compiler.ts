import { DomainError, ErrorDetail } from '@optline/core';
import { phoneInCountries, phoneInRegions } from './phone-areas';

/** A segment's conditions: a JSON Logic rule (the format flow filters use). */
export type SegmentRule = Record<string, unknown> | boolean;

/** A WHERE fragment over `contact c` and the values it binds, numbered from `firstParam`. */
export interface CompiledCondition {
  sql: string;
  params: unknown[];
}

const CONSENT_TYPES = ['marketing', 'transactional', 'conversational'];
const CONSENT_STATES = ['none', 'pending', 'opted_in', 'opted_out'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
const ATTRIBUTE_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_NODES = 200;

/** Contact columns a rule may name as `contact.<name>`; any other `contact.<name>` is an attribute. */
const COLUMNS: Record<string, { sql: string; kind: 'text' | 'time' }> = {
  id: { sql: 'c.id::text', kind: 'text' },
  phone: { sql: 'c.phone', kind: 'text' },
  email: { sql: 'c.email', kind: 'text' },
  firstName: { sql: 'c.first_name', kind: 'text' },
  lastName: { sql: 'c.last_name', kind: 'text' },
  timeZone: { sql: 'c.time_zone', kind: 'text' },
  createdAt: { sql: 'c.created_at', kind: 'time' },
};

type Operand =
  | { type: 'literal'; value: string | number | boolean | null }
  | { type: 'list'; values: (string | number)[] }
  | { type: 'instant'; sql: string }
  | { type: 'column'; sql: string; kind: 'text' | 'time' }
  | { type: 'attribute'; key: string }
  | { type: 'consent'; messageType: string }
  | { type: 'consentSource'; messageType: string }
  | { type: 'suppressed' }
  | { type: 'phoneArea'; field: 'country' | 'region' };

/**
 * Compiles a segment rule into one parameterised WHERE fragment over `contact c` (values are
 * always bound, never spliced). `$1` is the workspace id; the rule's values follow. The
 * variables are those of docs/campaigns.md: `contact.*` (columns, then attributes such as
 * `ordersCount`, `lastOrderAt`, `totalSpent`, `customerSince`), `consent.<type>`,
 * `consentSource.<type>`, `suppressed`; operators `and or ! !! == != === !== < <= > >= in`,
 * `inGroup` (a group id) and `daysAgo` (an instant N days before now).
 */
export class SegmentCompiler {
  private readonly params: unknown[];
  private nodes = 0;
  private readonly problems: ErrorDetail[] = [];

  private nowParam: string | null = null;

  private constructor(
    firstParams: unknown[],
    private readonly now: Date,
  ) {
    this.params = [...firstParams];
  }

  /**
   * `params` are the values already bound (the workspace id as $1, …); the rule's follow. `now`
   * is the hub clock's time, which `daysAgo` counts from.
   */
  static compile(rule: unknown, params: unknown[], field = 'conditions', now: Date = new Date()): CompiledCondition {
    const compiler = new SegmentCompiler(params, now);
    const sql = compiler.node(rule, field);
    if (compiler.problems.length > 0) throw new DomainError('unprocessable', 'invalid_segment', compiler.problems.map((p) => `${p.field}: ${p.message}`).join('; '), compiler.problems);
    return { sql, params: compiler.params };
  }

  /** The problems of a rule as field/message pairs (empty when it compiles). */
  static check(rule: unknown, field = 'conditions'): ErrorDetail[] {
    try {
      SegmentCompiler.compile(rule, ['00000000-0000-0000-0000-000000000000'], field);
      return [];
    } catch (error) {
      if (error instanceof DomainError) return error.details;
      throw error;
    }
  }

  /** Group ids a rule names with `inGroup` (so the caller can check they belong to the workspace). */
  static groupIds(rule: unknown): string[] {
    const found: string[] = [];
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (node === null || typeof node !== 'object') return;
      for (const [op, arg] of Object.entries(node)) {
        if (op === 'inGroup' && typeof arg === 'string') found.push(arg);
        else if (op === 'inGroup' && Array.isArray(arg) && typeof arg[0] === 'string') found.push(arg[0]);
        else visit(arg);
      }
    };
    visit(rule);
    return [...new Set(found)];
  }

  private nowSql(): string {
    this.nowParam ??= `${this.bind(this.now.toISOString())}::timestamptz`;
    return this.nowParam;
  }

  private bind(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  private fail(path: string, message: string): string {
    this.problems.push({ field: path, message });
    return 'false';
  }

  /** A rule node as a boolean SQL expression. */
  private node(rule: unknown, path: string): string {
    if (++this.nodes > MAX_NODES) return this.fail(path, `a segment has at most ${MAX_NODES} conditions`);
    if (rule === true) return 'true';
    if (rule === false) return 'false';
    if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return this.fail(path, 'a condition is a JSON Logic object such as {"==": [{"var": "consent.marketing"}, "opted_in"]}');
    const keys = Object.keys(rule);
    if (keys.length !== 1) return this.fail(path, `a JSON Logic rule has exactly one operator, found {${keys.join(', ')}}`);
    const op = keys[0];
    const raw = (rule as Record<string, unknown>)[op];
    const args = Array.isArray(raw) ? raw : [raw];
    const at = `${path}.${op}`;
    switch (op) {
      case 'and':
      case 'or': {
        if (args.length === 0) return this.fail(at, `"${op}" needs at least one condition`);
        const parts = args.map((a, i) => this.node(a, `${at}[${i}]`));
        return `(${parts.join(op === 'and' ? ' AND ' : ' OR ')})`;
      }
      case '!':
        return `NOT (${this.node(args[0], `${at}[0]`)})`;
      case '!!':
        return this.present(this.operand(args[0], `${at}[0]`), at);
      case 'inGroup': {
        if (typeof args[0] !== 'string' || !UUID.test(args[0])) return this.fail(at, 'inGroup takes a group id');
        return `EXISTS (SELECT 1 FROM group_member gm WHERE gm.group_id = ${this.bind(args[0])}::uuid AND gm.contact_id = c.id AND gm.workspace_id = $1)`;
      }
      case '==':
      case '===':
      case '!=':
      case '!==':
      case '<':
      case '<=':
      case '>':
      case '>=': {
        if (args.length !== 2) return this.fail(at, `"${op}" compares exactly two values`);
        return this.compare(op.replace('===', '==').replace('!==', '!='), this.operand(args[0], `${at}[0]`), this.operand(args[1], `${at}[1]`), at);
      }
      case 'in': {
        if (args.length !== 2) return this.fail(at, '"in" takes a value and a list (or a text to search)');
        const left = this.operand(args[0], `${at}[0]`);
        const right = this.operand(args[1], `${at}[1]`);
        if (right.type === 'list') return this.membership(left, right.values, at);
        if (left.type === 'literal' && typeof left.value === 'string') return this.contains(right, left.value, at);
        return this.fail(at, '"in" takes a variable and a list of values, or a text and a variable to search in');
      }
      default:
        return this.fail(at, `unsupported operator "${op}" in a segment (and, or, !, !!, ==, !=, <, <=, >, >=, in, inGroup)`);
    }
  }

  private operand(node: unknown, path: string): Operand {
    if (node === null || ['string', 'number', 'boolean'].includes(typeof node)) return { type: 'literal', value: node as string | number | boolean | null };
    if (Array.isArray(node)) {
      if (node.length > 1000 || !node.every((v) => typeof v === 'string' || typeof v === 'number')) {
        this.fail(path, 'a list holds up to 1,000 texts or numbers');
        return { type: 'list', values: [] };
      }
      return { type: 'list', values: node as (string | number)[] };
    }
    if (typeof node === 'object') {
      const [op] = Object.keys(node);
      const arg = (node as Record<string, unknown>)[op];
      if (op === 'var') return this.variable(Array.isArray(arg) ? arg[0] : arg, path);
      if (op === 'daysAgo' || op === 'daysFromNow') {
        const days = Array.isArray(arg) ? arg[0] : arg;
        if (typeof days !== 'number' || !Number.isFinite(days) || Math.abs(days) > 36_600) {
          this.fail(path, `${op} takes a number of days`);
          return { type: 'literal', value: null };
        }
        return { type: 'instant', sql: `(${this.nowSql()} ${op === 'daysAgo' ? '-' : '+'} make_interval(days => ${this.bind(Math.trunc(days))}::int))` };
      }
      if (op === 'now') return { type: 'instant', sql: this.nowSql() };
    }
    this.fail(path, 'a value is a literal, a list, {"var": …}, {"daysAgo": n} or {"now": []}');
    return { type: 'literal', value: null };
  }

  private variable(name: unknown, path: string): Operand {
    if (typeof name !== 'string' || name === '') {
      this.fail(path, 'var names a variable');
      return { type: 'literal', value: null };
    }
    const [root, ...rest] = name.split('.');
    const tail = rest.join('.');
    if (root === 'contact') {
      const column = COLUMNS[tail];
      if (column) return { type: 'column', ...column };
      const key = tail.startsWith('attributes.') ? tail.slice('attributes.'.length) : tail;
      if (ATTRIBUTE_KEY.test(key)) return { type: 'attribute', key };
    } else if ((root === 'consent' || root === 'consentSource') && CONSENT_TYPES.includes(tail)) {
      return root === 'consent' ? { type: 'consent', messageType: tail } : { type: 'consentSource', messageType: tail };
    } else if (root === 'suppressed' && tail === '') {
      return { type: 'suppressed' };
    } else if (root === 'phone' && (tail === 'country' || tail === 'region')) {
      return { type: 'phoneArea', field: tail };
    }
    this.fail(path, `"${name}" is not a segment variable (contact.<field or attribute>, consent.<type>, consentSource.<type>, suppressed, phone.country, phone.region)`);
    return { type: 'literal', value: null };
  }

  /** The operand as SQL of the kind the other side asks for. */
  private value(operand: Operand, kind: 'text' | 'number' | 'time' | 'boolean', path: string): string {
    switch (operand.type) {
      case 'literal':
        if (operand.value === null) return 'NULL';
        if (kind === 'number') return `${this.bind(Number(operand.value))}::numeric`;
        if (kind === 'time') {
          if (typeof operand.value !== 'string' || !ISO_DATE.test(operand.value) || Number.isNaN(Date.parse(operand.value))) return this.fail(path, 'compare a date with an ISO 8601 date or {"daysAgo": n}');
          return `${this.bind(operand.value)}::timestamptz`;
        }
        if (kind === 'boolean') return `${this.bind(Boolean(operand.value))}::boolean`;
        return `${this.bind(String(operand.value))}::text`;
      case 'instant':
        return operand.sql;
      case 'column':
        return operand.sql;
      case 'attribute': {
        const key = this.bind(operand.key);
        // The two functions of the commerce-fact expression indexes (decision 0205): the same
        // expression here lets Postgres answer a range on ordersCount or lastOrderAt from its index.
        if (kind === 'number') return `optline_attr_number(c.attributes, ${key})`;
        if (kind === 'time') return `optline_attr_instant(c.attributes, ${key})`;
        if (kind === 'boolean') return `(CASE WHEN jsonb_typeof(c.attributes->${key}) = 'boolean' THEN (c.attributes->${key})::boolean END)`;
        return `(c.attributes->>${key})`;
      }
      case 'consentSource':
        return `(SELECT ce.source FROM consent_state cs JOIN consent_event ce ON ce.id = cs.last_event_id WHERE cs.contact_id = c.id AND cs.message_type = ${this.bind(operand.messageType)})`;
      case 'suppressed':
        return this.suppressed();
      default:
        return this.fail(path, 'this variable cannot be compared that way');
    }
  }

  private suppressed(): string {
    return 'EXISTS (SELECT 1 FROM suppression s WHERE s.workspace_id = $1 AND s.phone_hash = c.phone_hash)';
  }

  /** The kind a comparison is made in, read from the variable and the literal. */
  private kindOf(a: Operand, b: Operand): 'text' | 'number' | 'time' | 'boolean' {
    for (const side of [a, b]) {
      if (side.type === 'column') return side.kind;
      if (side.type === 'instant') return 'time';
      if (side.type === 'suppressed') return 'boolean';
    }
    for (const side of [a, b]) {
      if (side.type !== 'literal') continue;
      if (typeof side.value === 'number') return 'number';
      if (typeof side.value === 'boolean') return 'boolean';
      if (typeof side.value === 'string' && ISO_DATE.test(side.value) && !Number.isNaN(Date.parse(side.value))) return 'time';
    }
    return 'text';
  }

  private compare(op: string, left: Operand, right: Operand, path: string): string {
    // Consent is one state per type, 'none' when never recorded: said as (NOT) EXISTS, which
    // Postgres answers with one semi-join over consent_state instead of a lookup per contact.
    const consent = left.type === 'consent' ? { c: left, v: right } : right.type === 'consent' ? { c: right, v: left } : null;
    if (consent) {
      if (op !== '==' && op !== '!=') return this.fail(path, 'consent is compared with == or != (none, pending, opted_in, opted_out)');
      if (consent.v.type !== 'literal' || typeof consent.v.value !== 'string') return this.fail(path, 'compare consent with one of none, pending, opted_in, opted_out');
      const test = this.consentIs(consent.c.messageType, [consent.v.value], path);
      return op === '==' ? test : `NOT ${test}`;
    }
    // The consent source likewise as a semi-join (a correlated lookup per contact cost 16 s at a million).
    const source = left.type === 'consentSource' ? { c: left, v: right } : right.type === 'consentSource' ? { c: right, v: left } : null;
    if (source && source.v.type === 'literal' && typeof source.v.value === 'string' && (op === '==' || op === '!=')) {
      const test = this.sourceIs(source.c.messageType, [source.v.value]);
      return op === '==' ? test : `NOT ${test}`;
    }
    // Where the number is: its area code's state or province, its country (decision 0207).
    const area = left.type === 'phoneArea' ? { a: left, v: right } : right.type === 'phoneArea' ? { a: right, v: left } : null;
    if (area) {
      if (op !== '==' && op !== '!=') return this.fail(path, `${area.a.field === 'region' ? 'phone.region' : 'phone.country'} is compared with ==, != or in`);
      if (area.v.type !== 'literal' || typeof area.v.value !== 'string') return this.fail(path, `compare ${area.a.field === 'region' ? 'phone.region with a state or province code such as "CA"' : 'phone.country with a country code such as "US"'}`);
      const test = this.phoneArea(area.a, [area.v.value]);
      return op === '==' ? test : `(${test} IS NOT TRUE)`;
    }
    // Suppression likewise: `suppressed == false` as NOT EXISTS is an anti-join; `EXISTS(…) = false` would be a lookup per contact.
    const flag = left.type === 'suppressed' ? right : right.type === 'suppressed' ? left : null;
    if (flag?.type === 'literal' && typeof flag.value === 'boolean' && (op === '==' || op === '!=')) {
      return (op === '==') === flag.value ? this.suppressed() : `NOT ${this.suppressed()}`;
    }
    if (left.type === 'list' || right.type === 'list') return this.fail(path, 'a list goes with "in"');
    const kind = this.kindOf(left, right);
    const a = this.value(left, kind, `${path}[0]`);
    const b = this.value(right, kind, `${path}[1]`);
    if (a === 'NULL' || b === 'NULL') {
      if (op !== '==' && op !== '!=') return this.fail(path, 'null is compared with == or !=');
      const other = a === 'NULL' ? b : a;
      return op === '==' ? `(${other} IS NULL)` : `(${other} IS NOT NULL)`;
    }
    if (op === '==') return `(${a} = ${b})`;
    // JSON Logic's != is true when a value is missing; SQL's <> would be unknown there.
    if (op === '!=') return `(${a} IS DISTINCT FROM ${b})`;
    if (kind === 'boolean') return this.fail(path, 'true/false values are compared with == or !=');
    return `(${a} ${op} ${b})`;
  }

  private consentIs(messageType: string, states: string[], path: string): string {
    const unknown = states.filter((s) => !CONSENT_STATES.includes(s));
    if (unknown.length > 0) return this.fail(path, `consent states are ${CONSENT_STATES.join(', ')}`);
    const recorded = states.filter((s) => s !== 'none');
    const type = this.bind(messageType);
    const parts: string[] = [];
    if (recorded.length > 0) parts.push(`EXISTS (SELECT 1 FROM consent_state cs WHERE cs.contact_id = c.id AND cs.message_type = ${type} AND cs.state = ANY(${this.bind(recorded)}::text[]))`);
    if (states.includes('none')) parts.push(`NOT EXISTS (SELECT 1 FROM consent_state cs WHERE cs.contact_id = c.id AND cs.message_type = ${type} AND cs.state <> 'none')`);
    return `(${parts.join(' OR ')})`;
  }

  /** The current consent state of the type was set by an entry from one of `sources`. */
  private sourceIs(messageType: string, sources: string[]): string {
    return `EXISTS (SELECT 1 FROM consent_state cs JOIN consent_event ce ON ce.id = cs.last_event_id WHERE cs.contact_id = c.id AND cs.message_type = ${this.bind(messageType)} AND ce.source = ANY(${this.bind(sources)}::text[]))`;
  }

  private phoneArea(operand: { field: 'country' | 'region' }, values: string[]): string {
    const bind = (value: unknown) => this.bind(value);
    return operand.field === 'region' ? phoneInRegions(values, bind) : phoneInCountries(values, bind);
  }

  private membership(left: Operand, values: (string | number)[], path: string): string {
    if (values.length === 0) return 'false';
    if (left.type === 'consent') return this.consentIs(left.messageType, values.map(String), path);
    if (left.type === 'phoneArea') return this.phoneArea(left, values.map(String));
    if (left.type === 'consentSource') return this.sourceIs(left.messageType, values.map(String));
    const numeric = values.every((v) => typeof v === 'number');
    const kind = numeric ? 'number' : left.type === 'column' ? left.kind : 'text';
    if (kind === 'time') return this.fail(path, 'dates are compared with <, <=, >, >=');
    const sql = this.value(left, kind, path);
    return numeric ? `(${sql} = ANY(${this.bind(values)}::numeric[]))` : `(${sql} = ANY(${this.bind(values.map(String))}::text[]))`;
  }

  private contains(haystack: Operand, needle: string, path: string): string {
    if (haystack.type === 'attribute') {
      // A list attribute (tags) holds the text as an element; a text attribute contains it.
      const key = this.bind(haystack.key);
      const text = this.bind(needle);
      return `(CASE jsonb_typeof(c.attributes->${key}) WHEN 'array' THEN (c.attributes->${key}) ? ${text} WHEN 'string' THEN strpos(c.attributes->>${key}, ${text}) > 0 ELSE false END)`;
    }
    if (haystack.type === 'column' && haystack.kind === 'text') return `(strpos(${haystack.sql}, ${this.bind(needle)}) > 0)`;
    return this.fail(path, '"in" searches a text or list attribute, or a text field');
  }

  private present(operand: Operand, path: string): string {
    switch (operand.type) {
      case 'column':
        return `(${operand.sql} IS NOT NULL AND ${operand.sql}::text <> '')`;
      case 'attribute': {
        const key = this.bind(operand.key);
        return `(c.attributes ? ${key} AND c.attributes->${key} NOT IN ('null'::jsonb, '""'::jsonb, 'false'::jsonb, '[]'::jsonb, '0'::jsonb))`;
      }
      case 'suppressed':
        return this.suppressed();
      case 'consent':
        return this.consentIs(operand.messageType, ['pending', 'opted_in', 'opted_out'], path);
      case 'literal':
        return operand.value ? 'true' : 'false';
      default:
        return this.fail(path, '"!!" tests a variable');
    }
  }
}
