import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { HttpProblem, problemResponse } from '../shared/platform/problem.js';
import type { RawHttpResponse } from './invoke.js';

/** A problem+json answer from the local host itself, shaped exactly like the app's (RFC 9457). */
export function hostProblem(status: number, kind: string, title: string, detail: string): RawHttpResponse {
  const response = problemResponse(new HttpProblem(status, kind, title, detail));
  return {
    status,
    headers: Object.entries(response.headers as Record<string, string>),
    body: Buffer.from(response.body as string),
  };
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
  if (decoded.split(/[/\\]/).some((segment) => segment === '..' || segment === '.'))
    return 'The path contains a dot segment.';
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

/**
 * Answers, as problem+json, a request that Node's HTTP parser refused before any handler saw it: 431
 * for headers (or a request line) over the 16 KB limit, 408 for one too slow to arrive, 400 for
 * anything else that is not HTTP.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset leaves nobody to answer; a socket already answering a request cannot take a second response.
  if (error.code === 'ECONNRESET' || !socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const [response, reason] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          hostProblem(
            431,
            'headers-too-large',
            'Request header fields too large',
            'Request line and headers may take 16 KB.',
          ),
          'Request Header Fields Too Large',
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [
            hostProblem(408, 'request-timeout', 'Request timeout', 'The request did not arrive in time.'),
            'Request Timeout',
          ]
        : [
            hostProblem(400, 'bad-request', 'The request is not valid', 'The request is not valid HTTP.'),
            'Bad Request',
          ];
  const fields = [
    ...response.headers.map(([k, v]) => `${k}: ${v}`),
    `content-length: ${response.body.length}`,
    'connection: close',
  ];
  const head = [`HTTP/1.1 ${response.status} ${reason}`, ...fields, '', ''].join('\r\n');
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), response.body]));
}
