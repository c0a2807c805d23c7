/**
 * The weekly digest e-mail, in English and Romanian. Figures arrive formatted ("67%", "4 min",
 * "–" when there is nothing to compare); gaps as gap1Text, gap1Count, gap1Url … up to gapCount.
 */
type Data = Record<string, string | number | undefined>;

/** A figure that could not be measured reads as a dash rather than failing the whole e-mail. */
const figures = (d: Data): Data => new Proxy(d, { get: (target, key: string) => target[key] ?? '–' });

const sign = { en: '\n\n— The Aliat team', ro: '\n\n— Echipa Aliat' };

function gapLines(d: Data, asked: (n: number) => string, answer: string): string[] {
  const lines: string[] = [];
  for (let i = 1; i <= (Number(d.gapCount) || 0); i++)
    lines.push(`- "${d[`gap${i}Text`]}" (${asked(Number(d[`gap${i}Count`]))})\n  ${answer}: ${d[`gap${i}Url`]}`);
  return lines;
}

export const weeklyDigestTemplate = {
  en: (raw: Data) => {
    const d = figures(raw);
    const gaps = gapLines(d, (n) => (n === 1 ? 'asked once' : `asked ${n} times`), 'Answer it');
    return {
      subject: `Your week with Aliat: ${d.conversations} conversations, ${d.resolved} resolved by the assistant`,
      text:
        [
          'Hello,',
          '',
          `here is how the assistant served ${d.company} from ${d.from} to ${d.to} (the week before in brackets):`,
          '',
          `Conversations: ${d.conversations} (${d.conversationsPrev})`,
          `Resolved by the assistant: ${d.resolved} (${d.resolvedPrev})`,
          `Handed to your team: ${d.handoffs} (${d.handoffsPrev})`,
          `Messages received: ${d.messagesIn} (${d.messagesInPrev})`,
          `Assistant's average first response: ${d.botResponse} (${d.botResponsePrev})`,
          `Your team's average first response, in business hours: ${d.humanResponse} (${d.humanResponsePrev})`,
          '',
          ...(gaps.length > 0
            ? [
                'Questions the assistant could not answer:',
                ...gaps,
                '',
                'Answer once and the assistant knows it next time.',
              ]
            : ['The assistant found an answer in your knowledge base for every question it was asked.']),
          '',
          `To stop this weekly e-mail, switch it off in Settings → Insights: ${d.settingsUrl}`,
        ].join('\n') + sign.en,
    };
  },
  ro: (raw: Data) => {
    const d = figures(raw);
    const gaps = gapLines(d, (n) => (n === 1 ? 'întrebat o dată' : `întrebat de ${n} ori`), 'Răspundeți');
    return {
      subject: `Săptămâna dvs. cu Aliat: ${d.conversations} conversații, ${d.resolved} rezolvate de asistent`,
      text:
        [
          'Bună ziua,',
          '',
          `iată cum a servit asistentul ${d.company} între ${d.from} și ${d.to} (săptămâna dinainte în paranteze):`,
          '',
          `Conversații: ${d.conversations} (${d.conversationsPrev})`,
          `Rezolvate de asistent: ${d.resolved} (${d.resolvedPrev})`,
          `Predate echipei: ${d.handoffs} (${d.handoffsPrev})`,
          `Mesaje primite: ${d.messagesIn} (${d.messagesInPrev})`,
          `Timpul mediu al primului răspuns al asistentului: ${d.botResponse} (${d.botResponsePrev})`,
          `Timpul mediu al primului răspuns al echipei, în programul de lucru: ${d.humanResponse} (${d.humanResponsePrev})`,
          '',
          ...(gaps.length > 0
            ? [
                'Întrebări la care asistentul nu a știut să răspundă:',
                ...gaps,
                '',
                'Răspundeți o dată și asistentul va ști data viitoare.',
              ]
            : ['Asistentul a găsit un răspuns în baza de cunoștințe pentru fiecare întrebare primită.']),
          '',
          `Pentru a nu mai primi acest e-mail săptămânal, dezactivați-l din Setări → Statistici: ${d.settingsUrl}`,
        ].join('\n') + sign.ro,
    };
  },
};
