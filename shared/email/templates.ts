import type { EmailTemplateName } from '../platform/queue-messages.js';
import { weeklyDigestTemplate } from './digest-template.js';

/** Every email Aliat sends; the names are part of the emails queue's contract. */
export type TemplateName = EmailTemplateName;

export type Language = 'en' | 'ro';

export interface Rendered {
  subject: string;
  text: string;
}

type Data = Record<string, string | number | undefined>;
type Template = Record<Language, (d: Data) => Rendered>;

const sign = { en: '\n\n— The Aliat team', ro: '\n\n— Echipa Aliat' };

const TEMPLATES: Record<TemplateName, Template> = {
  insights_weekly_digest: weeklyDigestTemplate,
  welcome: {
    en: (d) => ({
      subject: 'Welcome to Aliat',
      text: `Hello ${d.name},\n\nyour account for ${d.company} is ready. Connect your Instagram account or Facebook Page and add your services to let the assistant answer your customers.${sign.en}`,
    }),
    ro: (d) => ({
      subject: 'Bun venit la Aliat',
      text: `Bună ${d.name},\n\ncontul pentru ${d.company} este gata. Conectați contul de Instagram sau pagina de Facebook și adăugați serviciile pentru ca asistentul să le răspundă clienților.${sign.ro}`,
    }),
  },
  payment_failed: {
    en: (d) => ({
      subject: 'Your Aliat payment failed',
      text: `Hello,\n\nwe could not charge ${d.amount} for ${d.company}. Please update your card by ${d.graceUntil}; after that the assistant stops answering (messages are still kept for you).${sign.en}`,
    }),
    ro: (d) => ({
      subject: 'Plata Aliat nu a reușit',
      text: `Bună ziua,\n\nnu am putut încasa ${d.amount} pentru ${d.company}. Vă rugăm să actualizați cardul până la ${d.graceUntil}; după aceea asistentul nu mai răspunde (mesajele rămân păstrate).${sign.ro}`,
    }),
  },
  subscription_ended: {
    en: (d) => ({
      subject: 'Your Aliat subscription has ended',
      text: `Hello,\n\nthe subscription for ${d.company} has ended, so the assistant no longer answers. Messages are still stored for your team. You can subscribe again at any time.${sign.en}`,
    }),
    ro: (d) => ({
      subject: 'Abonamentul Aliat s-a încheiat',
      text: `Bună ziua,\n\nabonamentul pentru ${d.company} s-a încheiat, așa că asistentul nu mai răspunde. Mesajele rămân păstrate pentru echipa dvs. Vă puteți abona din nou oricând.${sign.ro}`,
    }),
  },
  channel_needs_reconnection: {
    en: (d) => ({
      subject: `Reconnect ${d.channel} to keep answering`,
      text: `Hello,\n\nFacebook no longer accepts the access for ${d.channel}. Log in with Facebook again from Settings → Channels so the assistant keeps answering.${sign.en}`,
    }),
    ro: (d) => ({
      subject: `Reconectați ${d.channel} pentru a răspunde în continuare`,
      text: `Bună ziua,\n\nFacebook nu mai acceptă accesul pentru ${d.channel}. Autentificați-vă din nou cu Facebook din Setări → Canale pentru ca asistentul să răspundă în continuare.${sign.ro}`,
    }),
  },
  channel_blocked: {
    en: (d) => ({
      subject: `Meta has blocked sending on ${d.channel}`,
      text: `Hello,\n\nMeta has stopped ${d.channel} from sending messages because of its messaging policy. The assistant has stopped answering there; messages from your customers are still kept. Check the Page's or account's quality in Meta Business Suite; we resume on our own when Meta lifts the block.${sign.en}`,
    }),
    ro: (d) => ({
      subject: `Meta a blocat trimiterea pe ${d.channel}`,
      text: `Bună ziua,\n\nMeta a oprit trimiterea mesajelor pe ${d.channel} din cauza politicii sale de mesagerie. Asistentul nu mai răspunde acolo; mesajele clienților rămân păstrate. Verificați calitatea paginii sau a contului în Meta Business Suite; reluăm automat când Meta ridică blocarea.${sign.ro}`,
    }),
  },
  conversation_waiting: {
    en: (d) => ({
      subject: 'A customer is waiting for a person',
      text: `Hello,\n\na conversation on ${d.channel} was handed to your team (${d.reason}). Open the dashboard to answer.${sign.en}`,
    }),
    ro: (d) => ({
      subject: 'Un client așteaptă un răspuns de la echipă',
      text: `Bună ziua,\n\no conversație pe ${d.channel} a fost predată echipei (${d.reason}). Deschideți panoul pentru a răspunde.${sign.ro}`,
    }),
  },
  usage_80: {
    en: (d) => ({
      subject: "You've used 80% of this month's replies",
      text: `Hello,\n\n${d.company} has used ${d.used} of ${d.limit} AI replies this month. At 100% conversations go to your team instead.${sign.en}`,
    }),
    ro: (d) => ({
      subject: 'Ați folosit 80% din răspunsurile lunii',
      text: `Bună ziua,\n\n${d.company} a folosit ${d.used} din ${d.limit} răspunsuri AI luna aceasta. La 100% conversațiile merg la echipă.${sign.ro}`,
    }),
  },
  usage_100: {
    en: (d) => ({
      subject: "You've used all of this month's replies",
      text: `Hello,\n\n${d.company} has used all ${d.limit} AI replies this month. New conversations go to your team until the month ends or you upgrade.${sign.en}`,
    }),
    ro: (d) => ({
      subject: 'Ați folosit toate răspunsurile lunii',
      text: `Bună ziua,\n\n${d.company} a folosit toate cele ${d.limit} răspunsuri AI din această lună. Conversațiile noi merg la echipă până la sfârșitul lunii sau până treceți la un plan superior.${sign.ro}`,
    }),
  },
  deletion_scheduled: {
    en: (d) => ({
      subject: 'Your Aliat account will be deleted',
      text: `Hello,\n\nwe received the request to delete the account of ${d.company}. Everything will be deleted by ${d.completeBy}, except billing records we must keep by law.${sign.en}`,
    }),
    ro: (d) => ({
      subject: 'Contul Aliat va fi șters',
      text: `Bună ziua,\n\nam primit cererea de ștergere a contului ${d.company}. Totul va fi șters până la ${d.completeBy}, cu excepția evidențelor de facturare pe care legea ne obligă să le păstrăm.${sign.ro}`,
    }),
  },
  deletion_completed: {
    en: (d) => ({
      subject: 'Your Aliat account has been deleted',
      text: `Hello,\n\nthe account of ${d.company} and its data were deleted on ${d.completedAt}. Receipt: ${d.receipt}.${sign.en}`,
    }),
    ro: (d) => ({
      subject: 'Contul Aliat a fost șters',
      text: `Bună ziua,\n\ncontul ${d.company} și datele sale au fost șterse la ${d.completedAt}. Confirmare: ${d.receipt}.${sign.ro}`,
    }),
  },
  export_ready: {
    en: (d) => ({
      subject: 'Your data export is ready',
      text: `Hello,\n\nyour export is ready: ${d.link}\nThe link works until ${d.expiresAt}.${sign.en}`,
    }),
    ro: (d) => ({
      subject: 'Exportul datelor este gata',
      text: `Bună ziua,\n\nexportul este gata: ${d.link}\nLinkul funcționează până la ${d.expiresAt}.${sign.ro}`,
    }),
  },
  breach_notice: {
    en: (d) => ({
      subject: 'Important: a security incident affecting your data',
      text: `Hello,\n\nwe became aware on ${d.knownAt} of an incident that affects data of ${d.company}.\n\n${d.description}\n\nWhat we are doing: ${d.measures}\nContact: security@aliat.io${sign.en}`,
    }),
    ro: (d) => ({
      subject: 'Important: un incident de securitate care vă afectează datele',
      text: `Bună ziua,\n\nla ${d.knownAt} am aflat de un incident care afectează datele ${d.company}.\n\n${d.description}\n\nCe facem: ${d.measures}\nContact: security@aliat.io${sign.ro}`,
    }),
  },
  policy_change: {
    en: (d) => ({
      subject: 'Changes to the Aliat privacy policy',
      text: `Hello,\n\nwe are updating our privacy policy, effective ${d.effectiveOn}.\n\n${d.summary}${sign.en}`,
    }),
    ro: (d) => ({
      subject: 'Modificări ale politicii de confidențialitate Aliat',
      text: `Bună ziua,\n\nactualizăm politica de confidențialitate, în vigoare de la ${d.effectiveOn}.\n\n${d.summary}${sign.ro}`,
    }),
  },
  end_user_deletion_confirmation: {
    // Counts what was really deleted; with nothing found it says so instead of claiming a deletion.
    en: (d) =>
      String(d.records) === '0'
        ? {
            subject: 'We found no data about you',
            text: `Hello,\n\nas you asked, we looked for messages and profile data about you on ${d.completedAt} and found none, so nothing needed to be deleted. Reference: ${d.receipt}.${sign.en}`,
          }
        : {
            subject: 'Your data has been deleted',
            text: `Hello,\n\nas you asked, we deleted the messages and profile data we held about you (${d.records} records, exports and copies included) on ${d.completedAt}. Reference: ${d.receipt}.${sign.en}`,
          },
    ro: (d) =>
      String(d.records) === '0'
        ? {
            subject: 'Nu am găsit date despre dvs.',
            text: `Bună ziua,\n\nla cererea dvs., am căutat la ${d.completedAt} mesaje și date de profil despre dvs. și nu am găsit niciuna, deci nu a fost nimic de șters. Referință: ${d.receipt}.${sign.ro}`,
          }
        : {
            subject: 'Datele dvs. au fost șterse',
            text: `Bună ziua,\n\nla cererea dvs., am șters mesajele și datele de profil pe care le aveam despre dvs. (${d.records} înregistrări, inclusiv exporturi și copii) la ${d.completedAt}. Referință: ${d.receipt}.${sign.ro}`,
          },
  },
  newsletter: {
    en: (d) => ({ subject: String(d.subject), text: `${d.body}${sign.en}` }),
    ro: (d) => ({ subject: String(d.subject), text: `${d.body}${sign.ro}` }),
  },
  invitation: {
    en: (d) => ({
      subject: `You are invited to ${d.company} on Aliat`,
      text: `Hello,\n\n${d.company} invites you to answer its customers' messages on Aliat as ${d.role}. Sign in with this address and accept here:\n${d.link}\nThe link works until ${d.expiresAt}.${sign.en}`,
    }),
    ro: (d) => ({
      subject: `Invitație la ${d.company} pe Aliat`,
      text: `Bună ziua,\n\n${d.company} vă invită să răspundeți mesajelor clienților pe Aliat ca ${d.role}. Autentificați-vă cu această adresă și acceptați aici:\n${d.link}\nLinkul funcționează până la ${d.expiresAt}.${sign.ro}`,
    }),
  },
  // Transactional: the person asked for it; it goes even to an address that objected, since confirming is how an
  // objection is lifted.
  marketing_confirmation: {
    en: (d) => ({
      subject: 'Confirm your subscription to Aliat news',
      text: `Hello,\n\nsomeone, hopefully you, asked to receive news from Aliat at this address. To confirm, open this link:\n${d.link}\nIt works once, until ${d.expiresAt}. If it was not you, ignore this e-mail: nothing changes and we will not write again.${sign.en}`,
    }),
    ro: (d) => ({
      subject: 'Confirmați abonarea la noutățile Aliat',
      text: `Bună ziua,\n\ncineva, sperăm că dvs., a cerut să primească noutăți de la Aliat la această adresă. Pentru confirmare, deschideți linkul:\n${d.link}\nFuncționează o singură dată, până la ${d.expiresAt}. Dacă nu ați fost dvs., ignorați acest e-mail: nu se schimbă nimic și nu vă vom mai scrie.${sign.ro}`,
    }),
  },
};

/** Templates that are marketing: they need consent (or soft opt-in) and carry one-click unsubscribe. */
export const MARKETING_TEMPLATES: ReadonlySet<TemplateName> = new Set(['newsletter']);

export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];

/**
 * A subject is one header line: control characters (CR/LF above all) from any value put into it
 * (a channel name, a company) would split or forge headers, so they become spaces here, whatever
 * the route that accepted the value checked.
 */
export function safeSubject(subject: string): string {
  return (
    subject
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
      .replace(/\s{2,}/g, ' ')
      .trim()
  );
}

/** Pure: renders a template; a missing value is a programming error, so it throws. */
export function render(name: TemplateName, language: Language, data: Data): Rendered {
  const rendered = TEMPLATES[name][language](data);
  if (/undefined/.test(rendered.text) || /undefined/.test(rendered.subject))
    throw new Error(`Template ${name} is missing data`);
  return { ...rendered, subject: safeSubject(rendered.subject) };
}
