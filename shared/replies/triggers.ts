export type { RepliesRuntime } from './generator.js';
export { KnowledgeReplyGenerator } from './knowledge-generator.js';
export { playgroundRoute } from './playground-api.js';
export { runReplyJob } from './reply-job.js';
