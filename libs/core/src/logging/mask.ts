/** "+14155550123" → "+1415•••0123": enough to tell numbers apart in logs, not to dial them. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const digits = phone.replace(/[^\d+]/g, '');
  if (digits.length <= 6) return '•••';
  return `${digits.slice(0, 5)}•••${digits.slice(-4)}`;
}

const PHONE_IN_TEXT = /(\+|%2B)?\d[\d\s().-]{8,}\d/g;

/** Masks anything that looks like a phone number inside free text (URLs, messages). */
export function maskPhonesIn(text: string): string {
  return text.replace(PHONE_IN_TEXT, (match) => maskPhone(decodeURIComponent(match)));
}
