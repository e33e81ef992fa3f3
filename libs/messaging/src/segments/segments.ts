/**
 * SMS segment counting (docs/compliance.md "Segments"): a body is GSM-7 when every character is in
 * the GSM 03.38 basic set or its extension table (extension characters cost two septets), else
 * UCS-2 counted in UTF-16 units. A single SMS holds 160 septets or 70 units; a concatenated one
 * 153 or 67 per segment, and neither an escape pair nor a surrogate pair is split across two.
 */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  segments: number;
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the body occupies. */
  units: number;
}

const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

const LIMITS: Record<SmsEncoding, { single: number; multi: number }> = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
};

/** Cost of each character, in septets or UTF-16 units; null when the body is not GSM-7. */
function gsmCosts(body: string): number[] | null {
  const costs: number[] = [];
  for (const char of body) {
    if (GSM7_BASIC.has(char)) costs.push(1);
    else if (GSM7_EXTENSION.has(char)) costs.push(2);
    else return null;
  }
  return costs;
}

function ucs2Costs(body: string): number[] {
  // Iterating a string yields code points: a character outside the BMP is one surrogate pair.
  return Array.from(body, (char) => char.length);
}

/** Packs characters into segments without splitting one across a boundary. */
function pack(costs: number[], perSegment: number): number {
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > perSegment) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return segments;
}

export function countSegments(body: string): SegmentCount {
  const gsm = gsmCosts(body);
  const encoding: SmsEncoding = gsm ? 'GSM-7' : 'UCS-2';
  const costs = gsm ?? ucs2Costs(body);
  const units = costs.reduce((sum, c) => sum + c, 0);
  const limit = LIMITS[encoding];
  const segments = units <= limit.single ? 1 : pack(costs, limit.multi);
  return { segments, encoding, units };
}
