import type { RawHttpResponse } from './invoke.js';

/** A request to a local stand-in, under `/local/<name>/...`. */
export interface StandInRequest {
  method: string;
  /** The path below `/local/<name>`, starting with `/`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
}

/** A local stand-in for an outside party (Graph API, token issuer, mail…), served by the local host. */
export interface StandIn {
  name: string;
  handle(request: StandInRequest): Promise<RawHttpResponse | undefined> | RawHttpResponse | undefined;
}

/** A JSON response for a stand-in. */
export function standInJson(status: number, body: unknown, headers: Record<string, string> = {}): RawHttpResponse {
  return {
    status,
    headers: [['content-type', 'application/json'], ...Object.entries(headers)],
    body: Buffer.from(JSON.stringify(body)),
  };
}
