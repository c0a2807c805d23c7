import type { TenantDoc } from '../accounts/index.js';
import type { ChannelDoc } from '../channels/index.js';
import type { Runtime } from '../platform/runtime.js';
import type { MetaEvent } from './events.js';

/** Everything an event handler needs once the event is routed to a tenant's channel. */
export interface Routed {
  rt: Runtime;
  event: MetaEvent;
  tenant: TenantDoc;
  channel: ChannelDoc;
  userId: string;
  conversationId: string;
  contactId: string;
}
