import type { ContainerName } from '../platform/containers.js';
import type { BlobContainerName } from '../platform/blob.js';

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
  customerAccount: { category: 'Customer account data', section: '§9 "Customer account data"', retention: 'account lifetime, plus 12 months after closure', trigger: 'closure', days: YEAR, onAccountDeletion: 'delete' },
  conversationData: { category: 'Conversation data (messages, contacts, conversation metadata)', section: '§9 "Conversation data"', retention: 'account lifetime; customers may delete on demand', trigger: 'account_lifetime', days: YEAR, onAccountDeletion: 'delete' },
  knowledgeBase: { category: 'Knowledge Base content', section: '§9 "Knowledge Base content"', retention: 'account lifetime, plus 30 days after closure without a deletion request; within 30 days of a verified deletion request', trigger: 'closure', days: 30, onAccountDeletion: 'delete' },
  billingRecords: { category: 'Billing and tax records', section: '§9 "Billing and tax records"', retention: '10 years (Romanian fiscal law), even after account deletion', trigger: 'created', days: 10 * YEAR, onAccountDeletion: 'keep' },
  marketingProspects: { category: 'Marketing communications data (prospects)', section: '§9 "Marketing communications data"', retention: 'until consent is withdrawn, then deleted within 30 days', trigger: 'consent_withdrawn', days: 30, onAccountDeletion: 'keep' },
  logs: { category: 'Logs (security, access, error) and audit', section: '§9 "Logs"', retention: '12 months', trigger: 'created', days: YEAR, onAccountDeletion: 'delete' },
  privacyRecords: { category: 'Deletion receipts, tombstones and purge reports (ids, counts and times only)', section: '§9 "Logs"', retention: '12 months', trigger: 'created', days: YEAR, onAccountDeletion: 'keep' },
  exports: { category: 'Data exports (Art. 15/20)', section: '§11 "Right of access", "Right to data portability"', retention: '7 days after the export is made', trigger: 'expiry', days: 7, onAccountDeletion: 'delete' },
  transient: { category: 'Idempotency records (ids only)', section: '§9 (kept only as long as necessary)', retention: '7 days, 90 for sent-email keys', trigger: 'created', days: 90, onAccountDeletion: 'keep' },
  deadLetters: { category: 'Dead-lettered queue messages (may hold message text and ids)', section: '§9 (kept only as long as necessary); erased with their subject', retention: '14 days, for staff to replay them after a fix', trigger: 'created', days: 14, onAccountDeletion: 'delete' },
  backups: { category: 'Backups', section: '§9 "Backups"', retention: 'up to 90 days', trigger: 'created', days: 90, onAccountDeletion: 'keep' },
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
  privacy: { 'deletion-request': 'privacyRecords', tombstone: 'privacyRecords', 'purge-report': 'privacyRecords', 'breach-notice': 'privacyRecords', export: 'exports' },
  marketing: { prospect: 'marketingProspects', objection: 'marketingProspects' },
  insights: { 'insights-day': 'customerAccount', 'insights-settings': 'customerAccount', 'insights-gap': 'conversationData' },
  insightThreads: { 'insights-thread': 'conversationData' },
  dedup: { 'email-sent': 'transient', 'stripe-processed': 'transient', idempotency: 'transient' },
};

/** Every blob container, mapped to its category. */
export const BLOB_CATEGORIES: Record<BlobContainerName, Category> = {
  knowledge: 'knowledgeBase',
  attachments: 'conversationData',
  exports: 'exports',
  backups: 'backups',
};

/** The category of a stored document; routes carry no type field, so the container decides. */
export function categoryOf(container: ContainerName, doc: { type?: string }): Category | undefined {
  const types = DOCUMENT_CATEGORIES[container];
  return types[doc.type ?? (container === 'routes' ? 'route' : '')];
}

/** The table for people (`npm run policy`). */
export function policyTable(): string {
  const rows = Object.values(RETENTION).map((r) => [r.category, r.retention, r.onAccountDeletion === 'keep' ? 'kept' : 'deleted', r.section]);
  const header = ['Data category', 'Kept for', 'On account deletion', 'Policy'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
