/**
 * Segments and encoding of an SMS body, as carriers count them: GSM-7 (160 characters, 153 per
 * part when split; the extension characters ^{}\[~]|€ take two) unless any character is outside
 * it, then UCS-2 (70, 67 per part; characters outside the basic plane take two units).
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

export interface SmsCount {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  perSegment: number;
  /** Characters that forced UCS-2 (at most a few, for the hint). */
  unicode: string[];
}

export function countSms(body: string): SmsCount {
  const unicode: string[] = [];
  let septets = 0;
  for (const ch of body) {
    if (BASIC.has(ch)) septets += 1;
    else if (EXTENDED.has(ch)) septets += 2;
    else if (!unicode.includes(ch)) unicode.push(ch);
  }
  if (unicode.length === 0) {
    const perSegment = septets <= 160 ? 160 : 153;
    return { encoding: 'GSM-7', units: septets, segments: septets === 0 ? 0 : Math.ceil(septets / perSegment), perSegment, unicode };
  }
  const units = body.length; // UTF-16 code units
  const perSegment = units <= 70 ? 70 : 67;
  return { encoding: 'UCS-2', units, segments: Math.ceil(units / perSegment), perSegment, unicode: unicode.slice(0, 5) };
}
