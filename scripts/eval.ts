import {
  businesses,
  evalRoot,
  type Mode,
  type Outcome,
  questionsOf,
  runEval,
  runFresh,
  score,
  splitViolations,
  TARGETS,
} from './eval-harness.js';

const pct = (x: number) => x.toFixed(2);

function row(label: string, outcomes: Outcome[]): string {
  const cells = (['fallback', 'scripted'] as Mode[]).flatMap((mode) => {
    const s = score(outcomes.filter((o) => o.mode === mode));
    return [
      `${pct(s.rightRate)} (${s.right}/${s.answerable})`,
      `${s.unanswerableAnswered}/${s.unanswerable}`,
      pct(s.languageRate),
    ];
  });
  return `| ${label} | ${cells.join(' | ')} |`;
}

/** A fresh business's row: what the fallback gets right, and every reply that answered with the wrong fact. */
function freshRow(label: string, outcomes: Outcome[]): string {
  const f = score(outcomes.filter((o) => o.mode === 'fallback'));
  const s = score(outcomes.filter((o) => o.mode === 'scripted'));
  return `| ${label} | ${pct(f.rightRate)} (${f.right}/${f.answerable}) | ${f.wrongAnswers} | ${f.unanswerableAnswered}/${f.unanswerable} | ${pct(s.rightRate)} (${s.right}/${s.answerable}) | ${s.unanswerableAnswered}/${s.unanswerable} |`;
}

function otherKindRows(folder: 'fresh' | 'dev-kinds', outcomes: Outcome[]): string[] {
  const rows = businesses(evalRoot(folder)).map((b) =>
    freshRow(
      b,
      outcomes.filter((o) => o.business === b),
    ),
  );
  return [...rows, freshRow('**all**', outcomes)];
}

const FRESH_HEAD =
  '| | fallback right fact | fallback wrong answers | fallback unanswerable answered | scripted right fact | scripted unanswerable answered |\n| --- | --- | --- | --- | --- | --- |';

const HEAD =
  '| | fallback right fact | fallback unanswerable answered | fallback language | scripted right fact | scripted unanswerable answered | scripted language |\n| --- | --- | --- | --- | --- | --- | --- |';

/**
 * `npm run eval`: every business in eval/businesses, in the fallback and with the scripted model peer,
 * by business and by kind of question, the tune split, the dev set and the held-out split apart, then
 * eval/dev-kinds and eval/fresh. Only tune, dev and dev-kinds misses are listed: the held-out split and
 * the fresh businesses are reported as numbers only, so nobody tunes against them by accident.
 */
async function main(): Promise<void> {
  for (const b of businesses()) {
    const wrong = splitViolations(questionsOf(b));
    if (wrong.length) throw new Error(`${b}: questions moved between splits: ${wrong.join(', ')}`);
  }
  const outcomes = await runEval(Number(process.env.KB_WHOLE_PROMPT_TOKENS ?? 3000), true);
  const out: string[] = [];
  const titles = { tune: 'Tune split', dev: 'Dev set', heldout: 'Held-out split' } as const;
  for (const split of ['tune', 'dev', 'heldout'] as const) {
    const mine = outcomes.filter((o) => o.question.split === split);
    if (mine.length === 0) continue;
    out.push(`\n### ${titles[split]}\n\nBy business\n\n${HEAD}`);
    for (const b of businesses())
      out.push(
        row(
          b,
          mine.filter((o) => o.business === b),
        ),
      );
    out.push(row('**all**', mine));
    out.push(`\nBy kind\n\n${HEAD}`);
    for (const kind of [...new Set(mine.map((o) => o.question.kind))].sort())
      out.push(
        row(
          kind,
          mine.filter((o) => o.question.kind === kind),
        ),
      );
  }
  const budget = Number(process.env.KB_WHOLE_PROMPT_TOKENS ?? 3000);
  const devKinds = await runFresh(budget, 'dev-kinds');
  out.push(`\n### Dev kinds (eval/dev-kinds: six other kinds, tuned on)\n\n${FRESH_HEAD}`);
  out.push(...otherKindRows('dev-kinds', devKinds));
  const fresh = await runFresh(budget);
  out.push(`\n### Fresh businesses (eval/fresh: other kinds, never tuned on)\n\n${FRESH_HEAD}`);
  out.push(...otherKindRows('fresh', fresh));
  const tokens = outcomes
    .filter((o) => o.promptTokens !== undefined)
    .map((o) => o.promptTokens as number)
    .sort((a, b) => a - b);
  if (tokens.length)
    out.push(
      `\nScripted mode prompt tokens per reply: median ${tokens[Math.floor(tokens.length / 2)]}, max ${tokens[tokens.length - 1]} (${outcomes.filter((o) => o.passagesSent === 'whole').length} replies with the whole knowledge base).`,
    );
  const misses = [...outcomes, ...devKinds].filter(
    (o) => o.question.split !== 'heldout' && (o.question.expect ? !o.right : o.answered || !o.languageOk),
  );
  if (misses.length)
    out.push(
      '\nTune, dev and dev-kinds misses:',
      ...misses.map(
        (o) =>
          `  - [${o.mode}] ${o.question.id} ${JSON.stringify(o.question.turns)} expect ${JSON.stringify(o.question.expect)} → ${o.answered ? `answered ${o.cited.join(',')}` : 'handoff'}${o.languageOk ? '' : ' (LANGUAGE)'}: ${o.reply.slice(0, 140)}`,
      ),
    );
  const held = outcomes.filter((o) => o.question.split === 'heldout');
  const f = score(held.filter((o) => o.mode === 'fallback'));
  const s = score(held.filter((o) => o.mode === 'scripted'));
  const met = {
    fallback: f.rightRate >= TARGETS.fallback,
    scripted: s.rightRate >= TARGETS.scripted,
    unanswerable: f.unanswerableAnswered === 0 && s.unanswerableAnswered === 0,
    language: f.languageRate === 1 && s.languageRate === 1,
  };
  out.push(
    `\nHeld-out targets: fallback ≥ ${TARGETS.fallback}: ${met.fallback ? 'met' : 'NOT met'} (${pct(f.rightRate)}); scripted ≥ ${TARGETS.scripted}: ${met.scripted ? 'met' : 'NOT met'} (${pct(s.rightRate)}); unanswerable answered 0: ${met.unanswerable ? 'met' : 'NOT met'} (${f.unanswerableAnswered} + ${s.unanswerableAnswered}); language 1.0: ${met.language ? 'met' : 'NOT met'} (${pct(f.languageRate)}, ${pct(s.languageRate)})`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
  process.exitCode = Object.values(met).every(Boolean) ? 0 : 1;
}

await main();
