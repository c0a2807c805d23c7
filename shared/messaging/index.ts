export { attachmentPrefix } from './attachments.js';
export type { GraphClient } from './graph-client.js';
export { graphClient, SUBSCRIBED_FIELDS } from './graph-client.js';
export { classifyGraphError, GraphError } from './graph-errors.js';
export { outboundPart } from './outbound.js';
export { splitForPlatform } from './split-text.js';
export { sendPermission } from './window.js';
