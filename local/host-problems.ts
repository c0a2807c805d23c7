import type { IncomingMessage } from 'node:http';
import { HttpProblem, problemResponse } from '../shared/platform/problem.js';
import type { RawHttpResponse } from './invoke.js';

/** A problem+json answer from the local host itself, shaped exactly like the app's (RFC 9457). */
export function hostProblem(status: number, kind: string, title: string, detail: string): RawHttpResponse {
  const response = problemResponse(new HttpProblem(status, kind, title, detail));
  return { status, headers: Object.entries(response.headers as Record<string, string>), body: Buffer.from(response.body as string) };
}

/** Why a request path cannot be routed, or undefined when it can: bad percent-encoding, NUL, or a dot segment. */
export function badPath(rawUrl: string): string | undefined {
  const path = rawUrl.split('?')[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return 'The path is not valid percent-encoding.';
  }
  if (decoded.includes('\u0000')) return 'The path contains a NUL character.';
  // Dot segments (raw or encoded) are never part of a route; refusing them keeps traversal out.
  if (decoded.split(/[/\\]/).some((segment) => segment === '..' || segment === '.')) return 'The path contains a dot segment.';
  return undefined;
}

/**
 * X-Forwarded-For as Azure's front end passes it on: whatever the caller sent, then the address the
 * front end received the request from, with its port. The app trusts only that last hop.
 */
export function forwardedFor(req: IncomingMessage): string | undefined {
  const address = req.socket.remoteAddress;
  if (!address) return undefined;
  const hop = address.includes(':') ? `[${address}]:${req.socket.remotePort}` : `${address}:${req.socket.remotePort}`;
  const given = req.headers['x-forwarded-for'];
  const sent = Array.isArray(given) ? given.join(', ') : given;
  return sent ? `${sent}, ${hop}` : hop;
}
