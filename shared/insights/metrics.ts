import type { BotSettings } from '../accounts/index.js';
import { ALL_DAY_EVERY_DAY, fromBusinessHours, type OpeningHours } from '../knowledge/index.js';
import { businessMillisBetween, localDay, safeZone } from './local-time.js';

/**
 * The pure rules of the insights figures. The live path (queue handlers) and the rebuild (a scan of
 * stored messages and transitions) feed the same events through `applyEvent`, so they must agree.
 *
 * A "conversation" in the figures is an episode of one Meta thread: it starts with a customer
 * message when none is open, and it ends (settles) once RESOLUTION_WINDOW has passed with no
 * activity. Thread documents live forever (one per person and account), episodes do not.
 *
 * Resolution, written down: an episode is resolved by the bot when the bot answered, there was no
 * handoff (nor a person taking over) and no human reply, and no new customer message came within
 * RESOLUTION_WINDOW after the bot's last answer. The verdict is given only once the window has
 * passed, so an episode that looks resolved (the bot answered an hour ago) and then comes back
 * (the customer writes again, asks for a person) is counted as not resolved.
 */
export const RESOLUTION_WINDOW_MS = 24 * 3_600_000;

/** What happened, as the figures see it. `key` identifies the event for idempotency. */
export type InsightEvent =
  | { kind: 'in'; key: string; at: number }
  | {
      kind: 'out';
      key: string;
      at: number;
      author: 'bot' | 'human' /** first part of a reply */;
      first: boolean;
      handoff: boolean;
    }
  | { kind: 'handoff'; key: string; at: number; reason: string }
  | { kind: 'human_reply'; key: string; at: number }
  | { kind: 'settle'; key: string; at: number };

/** The open episode of one thread. Times in ms. */
export interface Episode {
  start: number;
  day: string;
  lastActivity: number;
  botAnswered: boolean;
  lastWasBotAnswer: boolean;
  humanInvolved: boolean;
  botResponded: boolean;
  humanResponded: boolean;
  handoffAt?: number;
}

export interface ThreadState {
  episode?: Episode;
}

/** An increment of named counters on one local day. */
export interface Delta {
  day: string;
  counts: Record<string, number>;
}

export interface Rules {
  timeZone: string;
  /** The opening hours human response time is counted in (weekly, with dated exceptions). */
  hours: OpeningHours;
  windowMs: number;
}

/**
 * The tenant's rules: the profile's opening hours when it has them (the one source of truth, as for
 * "open now" and the handoff message), else the bot settings' old per-day hours if the owner set them, else
 * every hour counts (response time in wall-clock time).
 */
export function rulesOf(
  bot: Pick<BotSettings, 'timeZone' | 'businessHours'>,
  profileHours?: OpeningHours,
  windowMs = RESOLUTION_WINDOW_MS,
): Rules {
  return {
    timeZone: safeZone(bot.timeZone),
    hours: profileHours ?? fromBusinessHours(bot.businessHours) ?? ALL_DAY_EVERY_DAY,
    windowMs,
  };
}

/** The handoff reasons owners see, from the generator's detailed reasons. */
export function handoffCategory(reason: string): string {
  switch (reason) {
    case 'asked_for_human':
      return 'asked_for_human';
    case 'low_confidence':
      return 'low_confidence';
    case 'no_clear_match':
    case 'no_knowledge_base':
    case 'model_could_not_answer':
    case 'model_cited_no_passage':
    case 'holiday_not_listed':
      return 'no_match';
    case 'content_filter':
      return 'content_filter';
    case 'outside_hours':
      return 'outside_hours';
    case 'quota_exceeded':
      return 'quota';
    case 'takeover':
      return 'takeover';
    default:
      return 'other';
  }
}

export const HANDOFF_CATEGORIES = [
  'asked_for_human',
  'low_confidence',
  'no_match',
  'content_filter',
  'outside_hours',
  'quota',
  'takeover',
  'other',
] as const;

/** Handoffs that mean the knowledge base lacked the answer: these make knowledge gaps. */
export function isKnowledgeGap(reason: string): boolean {
  const c = handoffCategory(reason);
  return c === 'no_match' || c === 'low_confidence';
}

function settleDelta(e: Episode): Delta {
  const resolved = e.botAnswered && !e.humanInvolved && e.lastWasBotAnswer;
  return { day: e.day, counts: { [resolved ? 'resolved' : 'unresolved']: 1 } };
}

/**
 * Applies one event to a thread's state and returns the counter increments it causes. An open
 * episode whose window has run out by the event's time settles first, whatever the event, so the
 * verdict never depends on when the hourly sweep happened to run.
 */
export function applyEvent(
  state: ThreadState,
  event: InsightEvent,
  rules: Rules,
): { state: ThreadState; deltas: Delta[] } {
  const deltas: Delta[] = [];
  let episode = state.episode ? { ...state.episode } : undefined;
  if (episode && event.at >= episode.lastActivity + rules.windowMs) {
    deltas.push(settleDelta(episode));
    episode = undefined;
  }
  const day = localDay(event.at, rules.timeZone);
  const touch = (e: Episode) => {
    e.lastActivity = Math.max(e.lastActivity, event.at);
  };
  switch (event.kind) {
    case 'in': {
      const counts: Record<string, number> = { messagesIn: 1 };
      if (!episode) {
        episode = {
          start: event.at,
          day,
          lastActivity: event.at,
          botAnswered: false,
          lastWasBotAnswer: false,
          humanInvolved: false,
          botResponded: false,
          humanResponded: false,
        };
        counts.started = 1;
      }
      episode.lastWasBotAnswer = false;
      touch(episode);
      deltas.push({ day, counts });
      break;
    }
    case 'out': {
      const counts: Record<string, number> = { [`out.${event.author}`]: 1 };
      if (episode && event.first) {
        if (event.author === 'bot') {
          if (!episode.botResponded) {
            episode.botResponded = true;
            counts['botFirstResponse.count'] = 1;
            counts['botFirstResponse.ms'] = Math.max(0, event.at - episode.start);
          }
          if (!event.handoff) {
            episode.botAnswered = true;
            episode.lastWasBotAnswer = true;
          }
        } else {
          Object.assign(counts, humanResponse(episode, event.at, rules));
        }
        touch(episode);
      }
      deltas.push({ day, counts });
      break;
    }
    case 'human_reply': {
      const counts: Record<string, number> = { 'out.human': 1 };
      if (episode) {
        Object.assign(counts, humanResponse(episode, event.at, rules));
        touch(episode);
      }
      deltas.push({ day, counts });
      break;
    }
    case 'handoff': {
      deltas.push({ day, counts: { [`handoffs.${handoffCategory(event.reason)}`]: 1 } });
      if (episode) {
        episode.humanInvolved = true;
        episode.lastWasBotAnswer = false;
        episode.handoffAt ??= event.at;
        touch(episode);
      }
      break;
    }
    case 'settle':
      // Only the window check above settles; a sweep that comes early changes nothing.
      break;
  }
  return { state: episode ? { episode } : {}, deltas };
}

/** A person's first answer in the episode, timed inside business hours from the handoff. */
function humanResponse(episode: Episode, at: number, rules: Rules): Record<string, number> {
  episode.humanInvolved = true;
  episode.lastWasBotAnswer = false;
  if (episode.humanResponded) return {};
  episode.humanResponded = true;
  return {
    'humanFirstResponse.count': 1,
    'humanFirstResponse.ms': businessMillisBetween(episode.handoffAt ?? episode.start, at, rules),
  };
}

/** Adds counter maps. */
export function addCounts(into: Record<string, number>, more: Record<string, number>): Record<string, number> {
  for (const [k, v] of Object.entries(more)) into[k] = (into[k] ?? 0) + v;
  return into;
}

/** The figures owners read, from summed counters. */
export interface Figures {
  conversationsStarted: number;
  messagesIn: number;
  messagesOut: { bot: number; human: number; total: number };
  resolution: { resolved: number; unresolved: number; rate: number | null; windowHours: number; definition: string };
  handoffs: { total: number; byReason: Record<string, number> };
  firstResponse: {
    botAvgMs: number | null;
    botCount: number;
    humanBusinessHoursAvgMs: number | null;
    humanCount: number;
  };
}

export const RESOLUTION_DEFINITION =
  'Resolved by the bot: the bot answered, there was no handoff and no human reply, and the customer sent no new message within the window after the bot’s last answer. Counted on the day the conversation started, once the window has passed.';

export function figuresOf(c: Record<string, number>, windowMs = RESOLUTION_WINDOW_MS): Figures {
  const n = (k: string) => c[k] ?? 0;
  const byReason = Object.fromEntries(HANDOFF_CATEGORIES.map((r) => [r, n(`handoffs.${r}`)]));
  const resolved = n('resolved');
  const unresolved = n('unresolved');
  const avg = (ms: string, count: string) => (n(count) > 0 ? Math.round(n(ms) / n(count)) : null);
  return {
    conversationsStarted: n('started'),
    messagesIn: n('messagesIn'),
    messagesOut: { bot: n('out.bot'), human: n('out.human'), total: n('out.bot') + n('out.human') },
    resolution: {
      resolved,
      unresolved,
      rate: resolved + unresolved > 0 ? resolved / (resolved + unresolved) : null,
      windowHours: windowMs / 3_600_000,
      definition: RESOLUTION_DEFINITION,
    },
    handoffs: { total: Object.values(byReason).reduce((a, b) => a + b, 0), byReason },
    firstResponse: {
      botAvgMs: avg('botFirstResponse.ms', 'botFirstResponse.count'),
      botCount: n('botFirstResponse.count'),
      humanBusinessHoursAvgMs: avg('humanFirstResponse.ms', 'humanFirstResponse.count'),
      humanCount: n('humanFirstResponse.count'),
    },
  };
}
