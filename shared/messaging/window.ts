const HOUR = 3600_000;
/** Meta's standard messaging window after the person's last message. */
export const STANDARD_WINDOW_MS = 24 * HOUR;
/** How long after the person's last message a human may still answer with the HUMAN_AGENT tag. */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR;

export type Author = 'bot' | 'human';

export type SendPermission =
  | { allowed: true; messagingType: 'RESPONSE'; tag?: undefined }
  | { allowed: true; messagingType: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' }
  | { allowed: false; reason: 'no_inbound' | 'window_closed' | 'human_agent_window_closed' };

/**
 * Meta's window rules. Inside 24 hours of the person's last message anyone may answer with
 * RESPONSE. After that only a human, with the HUMAN_AGENT tag, up to 7 days. A bot never uses the
 * tag (Meta forbids automated messages under it), and nothing is sent after 7 days.
 */
export function sendPermission(author: Author, lastInboundAt: Date | undefined, now: Date): SendPermission {
  if (!lastInboundAt) return { allowed: false, reason: 'no_inbound' };
  const elapsed = now.getTime() - lastInboundAt.getTime();
  if (elapsed < STANDARD_WINDOW_MS) return { allowed: true, messagingType: 'RESPONSE' };
  if (author === 'bot') return { allowed: false, reason: 'window_closed' };
  if (elapsed < HUMAN_AGENT_WINDOW_MS) return { allowed: true, messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
  return { allowed: false, reason: 'human_agent_window_closed' };
}
