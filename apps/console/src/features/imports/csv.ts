/** Columns the hub understands; anything else becomes an attribute (docs/contacts.md). */
export const KNOWN_COLUMNS = ['phone', 'first_name', 'last_name', 'email', 'time_zone', 'consent', 'consent_types', 'consent_source', 'consent_timestamp', 'consent_evidence'] as const;

const ALIASES: Record<string, string> = { phone_number: 'phone', mobile: 'phone', firstname: 'first_name', lastname: 'last_name', e_mail: 'email', timezone: 'time_zone' };

/** `First Name` → `first_name`, as the hub reads headers. */
export function normalise(header: string): string {
  return header.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** The column the hub would read a header as: a known column, an external id, or an attribute (''). */
export function guessColumn(header: string): string {
  const name = normalise(header);
  const known = ALIASES[name] ?? name;
  if ((KNOWN_COLUMNS as readonly string[]).includes(known)) return known;
  if (name.startsWith('external_id.')) return name;
  return '';
}

/** Splits one CSV line (quotes, doubled quotes) into cells. */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/**
 * The header line to send: each column renamed to what the user mapped it to ('' keeps the
 * original header, which the hub stores as an attribute).
 */
export function mappedHeader(headers: string[], mapping: string[]): string {
  return headers.map((h, i) => quote(mapping[i] || h)).join(',');
}

/** Reads the header line of a file (assumed within the first 64 KB) and its length in bytes. */
export async function readHeader(file: Blob): Promise<{ headers: string[]; headerBytes: number }> {
  const head = await file.slice(0, 65_536).text();
  const end = head.search(/\r?\n/);
  const line = end === -1 ? head : head.slice(0, end);
  const terminator = end === -1 ? 0 : head[end] === '\r' ? 2 : 1;
  return { headers: splitCsvLine(line.replace(/^\uFEFF/, '')), headerBytes: new TextEncoder().encode(line).length + terminator };
}

/** Data rows in the file (non-empty lines after the header), counted as it streams. */
export async function countRows(file: Blob): Promise<number> {
  const reader = file.stream().getReader();
  let lines = 0;
  let last = 10;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
    if (value.length) last = value[value.length - 1];
  }
  return Math.max(0, lines + (last === 10 ? 0 : 1) - 1);
}
