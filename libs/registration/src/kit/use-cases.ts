/**
 * The 10DLC use case a send belongs to, from the flow's message type and trigger (decision 0241):
 * one campaign registration per use case, because vetting refuses a campaign mixing purposes.
 */
export function useCaseOf(messageType: string, triggerEvent: string): string {
  if (messageType === 'marketing') return 'Marketing';
  if (messageType === 'conversational') return 'Customer care';
  if (/^(order|checkout)\./.test(triggerEvent)) return 'Delivery notifications';
  if (/^appointment\./.test(triggerEvent)) return 'Account notifications';
  return 'Account notifications';
}

export const USE_CASE_DESCRIPTIONS: Record<string, string> = {
  Marketing: 'Promotional messages (offers, reminders, announcements) to customers who opted in to marketing texts.',
  'Delivery notifications': 'Order confirmations and shipping and delivery updates for purchases the customer made.',
  'Account notifications': 'Appointment confirmations, reminders and account updates the customer asked for.',
  'Customer care': 'Two-way conversations answering customer questions and support requests.',
};

const PUBLIC_SHORTENERS = /\b(bit\.ly|tinyurl\.com|goo\.gl|t\.co|ow\.ly|is\.gd|buff\.ly|rebrand\.ly|cutt\.ly|shorturl\.at|rb\.gy|tiny\.cc)\b/i;
const LINK = /\bhttps?:\/\/\S+|\bwww\.\S+|\|\s*link\b/i;
const PHONE = /(?:\+?\d[\d\s().-]{8,}\d)/;
const AGE_GATED = /\b(alcohol|beer|wine|liquor|spirits|vodka|whiskey|tobacco|cigar|cigarettes?|vape|vaping|e-cig|nicotine|cannabis|marijuana|weed|cbd|thc|dispensary)\b/i;

export const publicShortener = (text: string): string | null => PUBLIC_SHORTENERS.exec(text)?.[1] ?? null;
export const hasLink = (text: string): boolean => LINK.test(text);
export const hasPhone = (text: string): boolean => PHONE.test(text);
export const isAgeGated = (text: string): boolean => AGE_GATED.test(text);
