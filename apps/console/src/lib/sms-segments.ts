// How a text will travel: GSM-7 when every character is in the GSM 03.38 alphabet (basic table,
// or the extension table at two septets each), else UCS-2. Carriers bill per segment.

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

const BASIC = new Set(Array.from(GSM_BASIC));
const EXTENDED = new Set(Array.from(GSM_EXTENDED));

export type Encoding = 'GSM-7' | 'UCS-2';

export interface SegmentInfo {
  encoding: Encoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
  segments: number;
  /** Units per segment at this length (160/153 GSM-7, 70/67 UCS-2). */
  perSegment: number;
  /** Units left before the next segment starts. */
  remaining: number;
  /** Characters that forced UCS-2 (first few, in order, once each). */
  nonGsm: string[];
}

export function countSegments(text: string): SegmentInfo {
  const chars = Array.from(text);
  const nonGsm = [...new Set(chars.filter((c) => !BASIC.has(c) && !EXTENDED.has(c)))];
  if (nonGsm.length === 0) {
    // An extension character's escape and its code must sit in one segment.
    const widths = chars.map((c) => (EXTENDED.has(c) ? 2 : 1));
    return split('GSM-7', widths, 160, 153, []);
  }
  // A character outside the basic plane (emoji) is a surrogate pair: two units, never split.
  return split('UCS-2', chars.map((c) => c.length), 70, 67, nonGsm.slice(0, 5));
}

function split(encoding: Encoding, widths: number[], single: number, multi: number, nonGsm: string[]): SegmentInfo {
  const units = widths.reduce((sum, w) => sum + w, 0);
  if (units <= single) return { encoding, units, segments: units === 0 ? 0 : 1, perSegment: single, remaining: single - units, nonGsm };
  let segments = 1;
  let used = 0;
  for (const width of widths) {
    if (used + width > multi) {
      segments += 1;
      used = 0;
    }
    used += width;
  }
  return { encoding, units, segments, perSegment: multi, remaining: multi - used, nonGsm };
}
