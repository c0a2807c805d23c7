import { type Chunk, type Fact, guessLanguage, hoursAnswer, type Lang, sentencesOf } from '../knowledge/index.js';

const LOCALE: Record<Lang, string> = { en: 'en-GB', ro: 'ro-RO' };

/** Every word the bot itself adds to a fact, per language. The business's own text is never translated. */
export const LABELS = {
  en: {
    price: 'price',
    duration: 'duration',
    address: 'Our address',
    phone: 'You can call us on',
    email: 'You can write to us at',
    website: 'Our website',
    booking: 'You can book or order online here',
    hours: 'Opening hours',
    free: 'free',
    writtenIn: { en: 'in English', ro: 'in Romanian' },
    lead: 'Here is what we have written',
  },
  ro: {
    price: 'preț',
    duration: 'durată',
    address: 'Adresa noastră',
    phone: 'Ne puteți suna la',
    email: 'Ne puteți scrie la',
    website: 'Site-ul nostru',
    booking: 'Vă puteți programa sau comanda online aici',
    hours: 'Program',
    free: 'gratuit',
    writtenIn: { en: 'în engleză', ro: 'în română' },
    lead: 'Iată ce avem scris',
  },
} as const;

/** Pure: an amount in the customer's number format, with its currency code: "1.234,50 RON", "45 EUR". */
export function formatPrice(amount: number, currency: string, lang: Lang): string {
  const cents = Number.isInteger(amount) ? 0 : 2;
  const number = new Intl.NumberFormat(LOCALE[lang], { minimumFractionDigits: cents, maximumFractionDigits: cents });
  // Romanian customers say lei, with the word's own plural: "1 leu", "15 lei", "20 de lei" (owners' notes say lei too).
  if (lang === 'ro' && currency === 'RON') {
    const form = new Intl.PluralRules('ro-RO').select(amount);
    return `${number.format(amount)} ${form === 'one' ? 'leu' : form === 'few' ? 'lei' : 'de lei'}`;
  }
  return `${number.format(amount)} ${currency}`;
}

/**
 * Pure: a duration in minutes, as the business set it, in the customer's language's whole words by
 * `Intl` ("90 minutes", "90 de minute"), never the short forms "mins" or "min.".
 */
export function formatMinutes(minutes: number, lang: Lang): string {
  const unit = (n: number, u: 'minute' | 'hour' | 'day') =>
    new Intl.NumberFormat(LOCALE[lang], { style: 'unit', unit: u, unitDisplay: 'long' }).format(n);
  // "90 minutes" reads as a salon writes it; a wedding day or a repair is "8 hours" or "1 day", not "480 minutes".
  if (minutes < 120 || !Number.isInteger(minutes)) return unit(minutes, 'minute');
  if (minutes % 1440 === 0) return unit(minutes / 1440, 'day');
  const parts = [unit(Math.floor(minutes / 60), 'hour'), ...(minutes % 60 ? [unit(minutes % 60, 'minute')] : [])];
  return new Intl.ListFormat(LOCALE[lang], { type: 'conjunction' }).format(parts);
}

/**
 * The business's own words, announced in the customer's language when written in the other one. A text the owner
 * wrote in both ("Yes, free wifi for clients. Da, wifi gratuit pentru clienți.") already speaks the customer's.
 */
function asWritten(text: string, written: Lang | undefined, lang: Lang): string {
  if (!text.trim() || !written || written === lang) return text;
  if (sentencesOf(text).some((part) => guessLanguage(part) === lang)) return text;
  return `${LABELS[lang].lead} (${LABELS[lang].writtenIn[written]}): ${text}`;
}

/** A sentence ends with one full stop, whatever the last word brought ("0722 123 456.", "etc."). */
function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

export interface RenderContext {
  question: string;
  /** The previous customer turn, when the answer was found with it ("dar pe 24?" after a Christmas question). */
  previous?: string;
  /** The previous customer turn, when the last reply answered it with this passage: a weekday asked after a date is that date's week. */
  earlier?: string;
  lang: Lang;
  now: Date;
  timeZone: string;
}

const CURRENCY = String.raw`(?:lei|ron|eur|euro|€|\$|usd|gbp|£)`;
const MONEY = new RegExp(String.raw`(\d[\d.,]*\d|\d)\s*${CURRENCY}(?![\p{L}])|${CURRENCY}\s*(\d[\d.,]*\d|\d)`, 'giu');

/** Pure: whether an owner's price note names the amount itself ("220 lei de grup"), as written or with a comma. */
function statesAmount(note: string, amount: number | undefined): boolean {
  if (amount === undefined || amount === 0) return false;
  const written = [String(amount), amount.toFixed(2), amount.toLocaleString('ro-RO'), amount.toLocaleString('en-GB')];
  // Only a sum of money: "per 2 hours" at 2 RON names no price.
  const numbers = [...note.matchAll(MONEY)].map((m) => (m[1] ?? m[2]) as string);
  return numbers.some(
    (n) => written.includes(n) || Number(n.replace(/[.,](?=\d{3}\b)/g, '').replace(',', '.')) === amount,
  );
}

function renderFact(fact: Fact, written: Lang | undefined, ctx: RenderContext): string {
  const { lang } = ctx;
  const L = LABELS[lang];
  switch (fact.type) {
    case 'service': {
      const amount =
        fact.price && (fact.price.amount === 0 ? L.free : formatPrice(fact.price.amount, fact.price.currency, lang));
      // A price note is the owner's text: it stays by the price, and says so when it shows the other language.
      const note = fact.priceNote;
      const noteLang = note ? guessLanguage(note) : undefined;
      const inOther = noteLang && noteLang !== lang ? L.writtenIn[noteLang] : undefined;
      const noteAlone = note && inOther ? `${note} (${inOther})` : note;
      // A note that states the amount itself ("220 lei de grup (2–5 jucători)") is the price; one with brackets of its
      // own follows a dash, so no bracket holds another.
      const price = !amount
        ? noteAlone
        : !note
          ? amount
          : statesAmount(note, fact.price?.amount)
            ? noteAlone
            : note.includes('(')
              ? `${amount} — ${noteAlone}`
              : `${amount} (${[note, inOther].filter(Boolean).join('; ')})`;
      const facts = [
        price && `${L.price}: ${price}`,
        fact.durationMinutes && `${L.duration}: ${formatMinutes(fact.durationMinutes, lang)}`,
      ]
        .filter(Boolean)
        .join(', ');
      if (!facts) return asWritten([fact.name, fact.description].filter(Boolean).join(' — '), written, lang);
      return [sentence(`${fact.name}: ${facts}`), asWritten(fact.description ?? '', written, lang)]
        .filter(Boolean)
        .join(' ');
    }
    case 'faq':
      return asWritten(fact.answer, written, lang);
    case 'policy':
      return asWritten(fact.text, written, lang);
    case 'address':
      return `${L.address}: ${fact.value}`;
    case 'phone':
      return sentence(`${L.phone} ${fact.value}`);
    case 'email':
      return sentence(`${L.email} ${fact.value}`);
    case 'website':
      return `${L.website}: ${fact.value}`;
    case 'booking':
      return `${L.booking}: ${fact.value}`;
    case 'hours':
      return fact.hours
        ? hoursAnswer(fact.hours, ctx.question, lang, ctx.now, ctx.timeZone, ctx.previous, ctx.earlier)
        : `${L.hours}: ${asWritten(fact.text ?? '', written, lang)}`;
  }
}

/**
 * Pure: the one fact a passage holds, said in the customer's language (labels, units, days), the owner's text as
 * written.
 */
export function renderPassage(chunk: Chunk, ctx: RenderContext): string {
  if (!chunk.fact) return asWritten(chunk.text, chunk.lang, ctx.lang);
  return renderFact(chunk.fact, chunk.lang, ctx);
}

/**
 * Pure: several facts, one per line, for a message of several questions. Each "Here is what we have written (in
 * …)" is said once, on the first line that needs it; the lines after it in that language go without.
 */
export function renderAnswers(answers: Array<{ chunk: Chunk; ctx: RenderContext }>): string {
  const said = new Set<string>();
  return answers
    .map(({ chunk, ctx }) => {
      let line = renderPassage(chunk, ctx);
      for (const written of Object.values(LABELS[ctx.lang].writtenIn)) {
        const lead = `${LABELS[ctx.lang].lead} (${written}): `;
        if (!line.includes(lead)) continue;
        if (said.has(lead)) line = line.replaceAll(lead, '');
        said.add(lead);
      }
      return line;
    })
    .join('\n');
}
