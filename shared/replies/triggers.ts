export { playgroundRoute } from './playground-api.js';
export { replyJobSchema, runReplyJob } from './reply-job.js';
