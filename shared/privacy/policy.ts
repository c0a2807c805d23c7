import type { ContainerName } from '../platform/containers.js';

/** How long one category of data is kept, from what trigger, and where the policy says so. */
export interface RetentionRule {
  category: string;
  /** §9 (or other) wording this rule implements. */
  section: string;
  retention: string;
  trigger: 'account_lifetime' | 'closure' | 'deletion_request' | 'created' | 'consent_withdrawn' | 'expiry';
  /** Days after the trigger; undefined means "for the account's lifetime". */
  days?: number;
  /** What a verified deletion request does to this category. */
  onAccountDeletion: 'delete' | 'keep';
}

const YEAR = 365;

/** The privacy policy as code: every data category of §9 with its rule. Purges, deletion, export and docs read this. */
export const RETENTION: Record<string, RetentionRule> = {
  customerAccount: {
    category: 'Customer account data',
    section: '§9 "Customer account data"',
    retention: 'account lifetime, plus 12 months after closure',
    trigger: 'closure',
    days: YEAR,
    onAccountDeletion: 'delete',
  },
  conversationData: {
    category: 'Conversation data (messages, contacts, conversation metadata)',
    section: '§9 "Conversation data"',
    retention: 'account lifetime; customers may delete on demand',
    trigger: 'account_lifetime',
    days: YEAR,
    onAccountDeletion: 'delete',
  },
  knowledgeBase: {
    category: 'Knowledge Base content',
    section: '§9 "Knowledge Base content"',
    retention:
      'account lifetime, plus 30 days after closure without a deletion request; within 30 days of a verified deletion request',
    trigger: 'closure',
    days: 30,
    onAccountDeletion: 'delete',
  },
  billingRecords: {
    category: 'Billing and tax records',
    section: '§9 "Billing and tax records"',
    retention: '10 years (Romanian fiscal law), even after account deletion',
    trigger: 'created',
    days: 10 * YEAR,
    onAccountDeletion: 'keep',
  },
  marketingProspects: {
    category: 'Marketing communications data (prospects)',
    section: '§9 "Marketing communications data"',
    retention: 'until consent is withdrawn, then deleted within 30 days',
    trigger: 'consent_withdrawn',
    days: 30,
    onAccountDeletion: 'keep',
  },
  logs: {
    category: 'Logs (security, access, error) and audit',
    section: '§9 "Logs"',
    retention: '12 months',
    trigger: 'created',
    days: YEAR,
    onAccountDeletion: 'delete',
  },
  privacyRecords: {
    category: 'Deletion receipts, tombstones and purge reports (ids, counts and times only)',
    section: '§9 "Logs"',
    retention: '12 months',
    trigger: 'created',
    days: YEAR,
    onAccountDeletion: 'keep',
  },
  exports: {
    category: 'Data exports (Art. 15/20)',
    section: '§11 "Right of access", "Right to data portability"',
    retention: '7 days after the export is made',
    trigger: 'expiry',
    days: 7,
    onAccountDeletion: 'delete',
  },
  transient: {
    category: 'Idempotency records (ids only)',
    section: '§9 (kept only as long as necessary)',
    retention: '7 days, 90 for sent-email keys',
    trigger: 'created',
    days: 90,
    onAccountDeletion: 'keep',
  },
  deadLetters: {
    category: 'Dead-lettered queue messages (may hold message text and ids)',
    section: '§9 (kept only as long as necessary); erased with their subject',
    retention: '14 days, for staff to replay them after a fix',
    trigger: 'created',
    days: 14,
    onAccountDeletion: 'delete',
  },
  backups: {
    category: 'Backups',
    section: '§9 "Backups"',
    retention: 'up to 90 days',
    trigger: 'created',
    days: 90,
    onAccountDeletion: 'keep',
  },
};

export type Category = keyof typeof RETENTION;

/** Every document type we store, by container, mapped to exactly one category. */
export const DOCUMENT_CATEGORIES: Record<ContainerName, Record<string, Category>> = {
  tenants: { tenant: 'customerAccount', member: 'customerAccount', invitation: 'customerAccount' },
  channels: { channel: 'customerAccount' },
  routes: { route: 'customerAccount' },
  contacts: { contact: 'conversationData' },
  conversations: { conversation: 'conversationData' },
  messages: { message: 'conversationData' },
  knowledge: { 'kb-entry': 'knowledgeBase', 'kb-index': 'knowledgeBase' },
  usage: { usage: 'customerAccount' },
  billing: { 'billing-customer': 'billingRecords', 'billing-record': 'billingRecords' },
  audit: { audit: 'logs' },
  privacy: {
    'deletion-request': 'privacyRecords',
    tombstone: 'privacyRecords',
    'purge-report': 'privacyRecords',
    'breach-notice': 'privacyRecords',
    export: 'exports',
  },
  marketing: { prospect: 'marketingProspects', objection: 'marketingProspects' },
  insights: {
    'insights-day': 'customerAccount',
    'insights-settings': 'customerAccount',
    'insights-gap': 'conversationData',
  },
  insightThreads: { 'insights-thread': 'conversationData' },
  dedup: { 'email-sent': 'transient', 'stripe-processed': 'transient', idempotency: 'transient' },
};

/** The category of a stored document; routes carry no type field, so the container decides. */
export function categoryOf(container: ContainerName, doc: { type?: string }): Category | undefined {
  const types = DOCUMENT_CATEGORIES[container];
  return types[doc.type ?? (container === 'routes' ? 'route' : '')];
}

/**
 * The platform settings that decide how long the copies outside our code live. infra/ uses exactly
 * these numbers (tests/unit/infra.test.ts compares the Bicep to them), and COPIES below adds them up.
 */
export const PLATFORM_RETENTION = {
  /** Blob soft delete (blobs and containers): an erased attachment, export or backup stays recoverable this long. */
  blobSoftDeleteDays: 7,
  /** Lifecycle rule on the backups container: nightly NDJSON backups deleted after this age. */
  backupBlobDays: 82,
  /** Lifecycle rule on the exports container: a backstop for the daily purge of expired exports. */
  exportBlobDays: 7,
  /**
   * Cosmos DB continuous backup tier (point-in-time restore window; the runbook does not use it, see docs/privacy.md).
   */
  cosmosContinuousBackupDays: 7,
  /**
   * Service Bus message time to live; an expired message moves to the dead-letter queue, purged after deadLetters days.
   */
  queueMessageDays: 14,
  /** Log Analytics and Application Insights retention. */
  logDays: 365,
  /** Idempotency records of the API (sealed first answers), in the dedup container. */
  idempotencyDays: 1,
  /** Download links e-mailed for an export (user delegation SAS), capped by the export's own expiry. */
  exportLinkDays: 1,
} as const;

/** One place personal data can exist, and the longest it can live there. */
export interface DataCopy {
  copy: string;
  where: string;
  /** Longest possible life in days from creation; undefined means the account's lifetime (deleted on demand). */
  longestDays: number | undefined;
  /** How that number comes about. */
  because: string;
  /** The rule whose window it must fit (§9); residual copies after deletion fit the Backups window. */
  window: Category;
}

const P = PLATFORM_RETENTION;
const days = (c: Category) => RETENTION[c]?.days;

/** The window a copy must fit, in days from creation; undefined for rules bound to the account's lifetime. */
export function windowDays(c: Category): number | undefined {
  const rule = RETENTION[c];
  return rule && (rule.trigger === 'account_lifetime' || rule.trigger === 'closure') ? undefined : rule?.days;
}

/**
 * Every copy of personal data we make, live or residual, with its longest life. A copy after
 * deletion (soft delete, backups, point-in-time restore) is a "residual copy" of §9's Backups row.
 * Windows are in days and enforced by daily jobs (our retention timer, Azure's lifecycle run).
 */
export const COPIES: DataCopy[] = [
  {
    copy: 'Account, members, channels, usage (live)',
    where: 'Cosmos tenants, channels, routes, usage',
    longestDays: undefined,
    because: 'account lifetime; purged 12 months after closure',
    window: 'customerAccount',
  },
  {
    copy: 'Contacts, conversations, messages (live)',
    where: 'Cosmos contacts, conversations, messages, insightThreads',
    longestDays: undefined,
    because: 'account lifetime; deleted on demand, with the account, or by the subject',
    window: 'conversationData',
  },
  {
    copy: 'Message attachments (live)',
    where: 'Blob attachments',
    longestDays: undefined,
    because: 'deleted with their message, contact or account',
    window: 'conversationData',
  },
  {
    copy: 'Knowledge Base entries and files (live)',
    where: 'Cosmos knowledge, Blob knowledge',
    longestDays: undefined,
    because: 'account lifetime; 30 days after closure',
    window: 'knowledgeBase',
  },
  {
    copy: 'Audit entries',
    where: 'Cosmos audit',
    longestDays: days('logs'),
    because: 'daily purge at 12 months',
    window: 'logs',
  },
  {
    copy: 'Application logs and traces',
    where: 'Log Analytics, Application Insights',
    longestDays: P.logDays,
    because: 'workspace and component retention',
    window: 'logs',
  },
  {
    copy: 'Data exports (file)',
    where: 'Blob exports',
    longestDays: Math.max(days('exports') ?? 0, P.exportBlobDays),
    because: `daily purge at expiry, lifecycle backstop at ${P.exportBlobDays} days`,
    window: 'exports',
  },
  {
    copy: 'Download links e-mailed for an export',
    where: "recipients' mailboxes (SAS URL)",
    longestDays: Math.min(P.exportLinkDays, days('exports') ?? 0),
    because: 'SAS expiry, capped by the export; revoked when a subject is erased',
    window: 'exports',
  },
  {
    copy: 'Queue messages (in flight)',
    where: 'Service Bus queues',
    longestDays: P.queueMessageDays,
    because: 'message time to live, then dead-lettered',
    window: 'deadLetters',
  },
  {
    copy: 'Dead-lettered queue messages',
    where: 'Service Bus dead-letter queues',
    longestDays: days('deadLetters'),
    because: 'daily purge by enqueued time; erased with their subject',
    window: 'deadLetters',
  },
  {
    copy: 'Idempotency records (sealed first answer)',
    where: 'Cosmos dedup',
    longestDays: P.idempotencyDays,
    because: 'record TTL; erased with the tenant or a contact',
    window: 'transient',
  },
  {
    copy: 'Sent-email and Stripe event keys (ids only)',
    where: 'Cosmos dedup',
    longestDays: days('transient'),
    because: 'record TTL and daily purge',
    window: 'transient',
  },
  {
    copy: 'Deletion receipts and tombstones (keyed hashes)',
    where: 'Cosmos privacy',
    longestDays: days('privacyRecords'),
    because: 'daily purge at 12 months',
    window: 'privacyRecords',
  },
  {
    copy: 'Nightly backups (NDJSON of every container but dedup)',
    where: 'Blob backups',
    longestDays: P.backupBlobDays + P.blobSoftDeleteDays,
    because: `lifecycle delete after ${P.backupBlobDays} days + ${P.blobSoftDeleteDays} days blob soft delete`,
    window: 'backups',
  },
  {
    copy: 'Erased attachments, knowledge files and exports (soft-deleted)',
    where: 'Blob soft delete',
    longestDays: P.blobSoftDeleteDays,
    because: 'blob and container soft delete after the deletion',
    window: 'backups',
  },
  {
    copy: 'Exports after their expiry (soft-deleted)',
    where: 'Blob soft delete',
    longestDays: (days('exports') ?? 0) + P.blobSoftDeleteDays,
    because: 'export life + blob soft delete',
    window: 'backups',
  },
  {
    copy: 'Cosmos point-in-time restore copies',
    where: 'Cosmos continuous backup',
    longestDays: P.cosmosContinuousBackupDays,
    because: 'continuous backup tier',
    window: 'backups',
  },
];

/** A fixed-width Markdown table. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The table for people (`npm run policy`): the rules, then every copy with its longest life against its window. */
export function policyTable(): string {
  const rules = table(
    ['Data category', 'Kept for', 'On account deletion', 'Policy'],
    Object.values(RETENTION).map((r) => [
      r.category,
      r.retention,
      r.onAccountDeletion === 'keep' ? 'kept' : 'deleted',
      r.section,
    ]),
  );
  const life = (d: number | undefined) => (d === undefined ? 'account lifetime' : `${d} day${d === 1 ? '' : 's'}`);
  const copies = table(
    ['Copy', 'Where', 'Longest life', 'Because', 'Window'],
    COPIES.map((c) => [
      c.copy,
      c.where,
      life(c.longestDays),
      c.because,
      `${life(windowDays(c.window))} (${RETENTION[c.window]?.section ?? c.window})`,
    ]),
  );
  return `${rules}\n\nEvery copy of personal data:\n\n${copies}`;
}
