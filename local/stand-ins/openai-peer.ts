import { createHash, randomUUID } from 'node:crypto';
import { searchTerms } from '../../shared/knowledge/triggers.js';
import { type StandIn, type StandInRequest, standInJson } from '../stand-in.js';

/** How the peer answers the next calls. */
export type OpenAiMode = 'ok' | 'rate_limit_once' | 'error_500' | 'slow' | 'content_filter' | 'malformed' | 'handoff';

interface ChatRequest {
  messages: Array<{ role: string; content: string }>;
  store?: boolean;
  response_format?: unknown;
}

/**
 * A local peer that speaks the Azure OpenAI protocol at /local/openai (chat completions and
 * embeddings under /openai/deployments/{deployment}/…). It answers from the passage that best
 * matches the customer's message, and can be told to throttle, fail, stall, filter or answer malformed JSON.
 */
export class OpenAiPeer implements StandIn {
  readonly name = 'openai';
  mode: OpenAiMode = 'ok';
  slowMs = 5000;
  readonly chatRequests: ChatRequest[] = [];
  /** The exact bytes of every request body, per endpoint, so tests can see what a model receives. */
  readonly received: Array<{ endpoint: 'chat' | 'embeddings'; body: string }> = [];
  calls = 0;

  async handle(req: StandInRequest) {
    const m = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/.exec(req.path);
    if (!m || req.method !== 'POST')
      return standInJson(404, { error: { code: 'NotFound', message: 'Resource not found' } });
    if (!req.query.get('api-version'))
      return standInJson(400, { error: { code: 'MissingApiVersionParameter', message: 'api-version is required' } });
    if (!req.headers['api-key'] && !req.headers.authorization)
      return standInJson(401, { error: { code: '401', message: 'Access denied' } });
    this.received.push({ endpoint: m[2] === 'embeddings' ? 'embeddings' : 'chat', body: req.body.toString('utf8') });
    const body = JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
    return m[2] === 'embeddings' ? this.embeddings(body) : this.chat(body as unknown as ChatRequest);
  }

  private embeddings(body: Record<string, unknown>) {
    const inputs = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
    return standInJson(200, {
      object: 'list',
      data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: hashedVector(text) })),
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  }

  private async chat(body: ChatRequest) {
    this.calls++;
    this.chatRequests.push(body);
    if (this.mode === 'rate_limit_once') {
      this.mode = 'ok';
      return standInJson(
        429,
        { error: { code: '429', message: 'Rate limit is exceeded. Try again in 1 seconds.' } },
        { 'retry-after': '1' },
      );
    }
    if (this.mode === 'error_500')
      return standInJson(500, { error: { code: 'InternalServerError', message: 'The server had an error' } });
    if (this.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, this.slowMs));
    if (this.mode === 'content_filter') {
      return standInJson(400, {
        error: {
          code: 'content_filter',
          message: 'The response was filtered due to the prompt triggering content management policy.',
          innererror: { code: 'ResponsibleAIPolicyViolation' },
        },
      });
    }
    // The passages and the customer's turn arrive as separate DATA messages; the peer reads them all.
    const data: { passages?: Array<{ id: string; title?: string; text: string }>; customer_message?: string } = {};
    for (const m of body.messages.filter((x) => x.role === 'user'))
      Object.assign(data, JSON.parse(m.content.replace(/^[^\n]*\n/, '') || '{}'));
    const first = bestPassage(data.passages ?? [], data.customer_message ?? '');
    const answer =
      this.mode === 'handoff' || !first
        ? { reply: '', passage_ids: [], confidence: 0.1, handoff: true, language: 'en' }
        : { reply: first.text, passage_ids: [first.id], confidence: 0.9, handoff: false, language: 'en' };
    const content = this.mode === 'malformed' ? `Sure! ${JSON.stringify(answer).slice(0, 20)}` : JSON.stringify(answer);
    return standInJson(200, {
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: 'gpt-4o-mini',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
      usage: { prompt_tokens: 420, completion_tokens: 42, total_tokens: 462 },
    });
  }
}

/**
 * The passage sharing most search terms with the customer's message (the first on a tie): the whole knowledge base may
 * be sent.
 */
function bestPassage(
  passages: Array<{ id: string; title?: string; text: string }>,
  message: string,
): { id: string; text: string } | undefined {
  const asked = new Set(searchTerms(message));
  let best = passages[0];
  let bestScore = 0;
  for (const p of passages) {
    const score = new Set(searchTerms(`${p.title ?? ''} ${p.text}`).filter((t) => asked.has(t))).size;
    if (score > bestScore) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}

/** A deterministic 64-dimension bag-of-terms vector, so similar texts have similar vectors. */
function hashedVector(text: string): number[] {
  const v = new Array<number>(64).fill(0);
  for (const term of searchTerms(text)) {
    const h = createHash('sha1').update(term).digest();
    v[(h[0] as number) % 64] = (v[(h[0] as number) % 64] as number) + 1;
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}
