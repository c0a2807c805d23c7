import { type DeadLettersRuntime, serviceBusDeadLetters } from '../shared/platform/dead-letters.js';
import { type Clock, createRuntime, systemClock } from '../shared/platform/runtime.js';
import { parseSettings, type Settings } from '../shared/platform/settings.js';
import { KnowledgeReplyGenerator, type RepliesRuntime } from '../shared/replies/triggers.js';

/** The runtime every trigger gets: the platform's clients plus what the slices declared they need. */
export interface AppRuntime extends RepliesRuntime, DeadLettersRuntime {}

/** Builds the app runtime from settings. Nothing connects until first use. */
export function buildAppRuntime(settings: Settings, clock: Clock = systemClock): AppRuntime {
  const rt = createRuntime(settings, clock);
  return { ...rt, replyGenerator: new KnowledgeReplyGenerator(), deadLetters: serviceBusDeadLetters(rt.bus) };
}

/**
 * In Azure the runtime is built and its settings validated when the app loads, so an invalid setting
 * fails the start with one message naming each bad setting rather than the first request. The local
 * host and tests install their own before any trigger runs.
 */
let installed: AppRuntime | undefined = process.env.WEBSITE_INSTANCE_ID
  ? buildAppRuntime(parseSettings(process.env))
  : undefined;

/** The app runtime, handed to the platform wrappers as their runtime source. */
export function appRuntime(): AppRuntime {
  installed ??= buildAppRuntime(parseSettings(process.env));
  return installed;
}

/** The installed runtime, if any, without building one. */
export function installedRuntime(): AppRuntime | undefined {
  return installed;
}

/** Installs a runtime (the local host and tests do this); undefined uninstalls it. */
export function installRuntime(rt: AppRuntime | undefined): void {
  installed = rt;
}
