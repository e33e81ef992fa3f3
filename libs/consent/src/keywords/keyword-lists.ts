/**
 * The keyword families an inbound text is matched against (docs/compliance.md "Keywords").
 * Entries are written in their normalised form (lower case, no accents, punctuation as spaces),
 * see `normalizeInboundText`. Kept as data so a workspace (or a correction of the law's reading)
 * can change them without touching the matcher.
 */
export interface KeywordLists {
  /** Opt-out words: Twilio's defaults, REVOKE/OPTOUT (Twilio 2025), the FCC list incl. "opt out", Spanish. */
  stop: string[];
  /** Re-subscribe words: after STOP only these (or a new explicit opt-in) restore sending. */
  start: string[];
  help: string[];
  /** Confirms a pending opt-in. */
  yes: string[];
  /** Declines a pending opt-in (not an opt-out by itself). */
  no: string[];
}

export const DEFAULT_KEYWORDS: KeywordLists = {
  stop: [
    'stop',
    'stopall',
    'stop all',
    'unsubscribe',
    'cancel',
    'end',
    'quit',
    'revoke',
    'optout',
    'opt out',
    // Spanish (unconfirmed list, docs/compliance.md): common in US programs.
    'alto',
    'parar',
    'cancelar',
    'detener',
  ],
  start: ['start', 'unstop', 'resume', 'comenzar', 'reanudar'],
  help: ['help', 'info', 'ayuda'],
  yes: ['yes', 'y', 'si', 'yes please', 'yep', 'yeah'],
  no: ['no', 'n', 'nope', 'no thanks', 'no gracias'],
};

/**
 * Keywords that are Spanish: the answer to one of them is the Spanish text (docs/decisions/0165).
 * "no" is both languages and stays English.
 */
export const SPANISH_KEYWORDS = new Set(['alto', 'parar', 'cancelar', 'detener', 'comenzar', 'reanudar', 'ayuda', 'si', 'no gracias']);

/**
 * Words that may surround a keyword without changing its meaning ("STOP please", "stop it now").
 * A message made of one keyword plus only these words is treated as that keyword.
 */
export const FILLER_WORDS = new Set([
  'please',
  'pls',
  'plz',
  'thanks',
  'thank',
  'you',
  'thx',
  'ty',
  'now',
  'it',
  'ok',
  'okay',
  'me',
  'por',
  'favor',
  'gracias',
  'ya',
]);

/**
 * Informal revocations (FCC 47 CFR §64.1200(a)(10): "any reasonable means"), matched on the
 * normalised text. These opt the person out; `flag` marks the vaguer ones for a human to review.
 */
export const INFORMAL_REVOCATIONS: { pattern: RegExp; flag: boolean; language?: 'es' }[] = [
  { pattern: /\bstop (texting|sending|messaging|contacting|txting|texing|emailing|calling)\b/, flag: false },
  { pattern: /\b(dont|do not|don t|never) (text|txt|message|contact|msg|send)\b/, flag: false },
  { pattern: /\b(take|remove|delete|drop) me (off|from|out)\b/, flag: false },
  { pattern: /\bremove (me|my number)\b/, flag: false },
  { pattern: /\b(unsubscribe|opt) me\b/, flag: false },
  { pattern: /\bopt me out\b/, flag: false },
  { pattern: /\b(i want|want|wanna|like) to (unsubscribe|opt out|stop)\b/, flag: false },
  { pattern: /\bno more (texts|text|messages|msgs|sms)\b/, flag: false },
  { pattern: /\bwrong (number|person|#)\b/, flag: true },
  { pattern: /\bleave me alone\b/, flag: true },
  { pattern: /\bnot interested\b/, flag: true },
  // Spanish.
  { pattern: /\bno (me )?(envies|envie|manden|mande|escriban|escribas) mas\b/, flag: false, language: 'es' },
  { pattern: /\b(dejen|deja) de (enviar|mandar|escribir)/, flag: false, language: 'es' },
  { pattern: /\bno mas mensajes\b/, flag: false, language: 'es' },
  { pattern: /\bdar(me)? de baja\b/, flag: false, language: 'es' },
  { pattern: /\bnumero equivocado\b/, flag: true, language: 'es' },
];
