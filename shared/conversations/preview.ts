import { PREVIEW_CHARS } from '../realtime/index.js';

/** Pure: a short preview of a message for an event or an inbox row. */
export function previewOf(m: { text?: string; attachments?: Array<{ type: string }> }): string {
  const text = (m.text ?? '').replace(/\s+/g, ' ').trim();
  if (text) return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
  const kinds = (m.attachments ?? []).map((a) => a.type);
  return kinds.length ? `[${kinds.join(', ')}]` : '';
}
