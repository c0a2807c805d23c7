import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import type { MessageDoc } from '../../shared/conversations/documents.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { dm, postWebhook } from '../helpers/meta.js';
import { makeTenant } from '../helpers/tenants.js';

/** Every spelling of the personal data in the messages below that must never reach the model. */
const SECRETS = [
  '0722 123 456',
  '0722123456',
  '722 123 456',
  '+44 7700 900123',
  '7700 900123',
  'ana.popescu@gmail.com',
  'ana.popescu',
  'Ana Popescu',
  'Popescu',
  '4111 1111 1111 1111',
  '4111111111111111',
  'RO49 AAAA 1B31 0075 9384 0000',
  'RO49AAAA1B31007593840000',
  'Ionescu',
];

describe('§13 the model receives no phone, e-mail, card, IBAN or self-given name (local Azure OpenAI peer)', () => {
  let host: LocalHost;
  let t: Awaited<ReturnType<typeof makeTenant>>;

  beforeAll(async () => {
    // A budget of 1 token sends every reply through retrieval, so the query embedding is exercised too.
    host = await startTestHost({
      values: {
        AZURE_OPENAI_ENDPOINT: 'local',
        AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'text-embedding-3-small',
        BURST_WAIT_MS: '20',
        KB_WHOLE_PROMPT_TOKENS: '1',
      },
    });
    t = await makeTenant(host, { kb: true });
  });
  afterAll(async () => host?.stop());

  it('§13 a DM with a phone, an e-mail and a name: the bytes sent to chat and embeddings contain none of them, and the reply still answers', async () => {
    host.openai.mode = 'ok';
    const userId = `u${Date.now()}`;
    const from = host.openai.received.length;
    // An earlier turn carries data too: the history goes to the model as well.
    await postWebhook(
      host.url,
      dm({
        object: 'instagram',
        accountId: t.account,
        userId,
        text: 'Bună, mă numesc Maria Ionescu, card 4111 1111 1111 1111, IBAN RO49 AAAA 1B31 0075 9384 0000.',
      }),
      host.runtime.settings.META_APP_SECRET,
    );
    await host.broker.whenIdle();
    await postWebhook(
      host.url,
      dm({
        object: 'instagram',
        accountId: t.account,
        userId,
        text: 'Hi, my name is Ana Popescu. How much is balayage? My numbers are 0722 123 456 and +44 7700 900123, e-mail ana.popescu@gmail.com',
      }),
      host.runtime.settings.META_APP_SECRET,
    );
    await host.broker.whenIdle();

    const sent = host.openai.received.slice(from);
    const chat = sent.filter((r) => r.endpoint === 'chat');
    const embeddings = sent.filter((r) => r.endpoint === 'embeddings');
    expect(chat.length).toBeGreaterThanOrEqual(1);
    expect(embeddings.length).toBeGreaterThanOrEqual(1);
    for (const request of sent) {
      // The body is JSON; compare against its decoded text too, so an escape cannot hide a value.
      const decoded = JSON.stringify(JSON.parse(request.body));
      for (const secret of SECRETS) {
        expect(request.body).not.toContain(secret);
        expect(decoded).not.toContain(secret);
      }
    }
    // What the model does receive: the question, with placeholders where the data was.
    const last = JSON.parse(chat.at(-1)?.body ?? '{}') as { messages: Array<{ content: string }> };
    // messages[1] holds the passages (a stable prefix); the customer's turn and the history follow.
    const data = JSON.parse(last.messages[2]?.content.replace(/^[^\n]*\n/, '') ?? '{}') as {
      customer_message: string;
      conversation: Array<{ text: string }>;
    };
    expect(data.customer_message).toBe(
      'Hi, my name is [name]. How much is balayage? My numbers are [phone] and [phone], e-mail [email]',
    );
    expect(data.conversation.map((c) => c.text)).toContain('Bună, mă numesc [name], card [card], IBAN [iban].');
    // The retrieval query carries the previous customer turn too (follow-ups), redacted as well.
    expect(JSON.parse(embeddings.at(-1)?.body ?? '{}').input).toEqual([
      'Bună, mă numesc [name], card [card], IBAN [iban].\nHi, my name is [name]. How much is balayage? My numbers are [phone] and [phone], e-mail [email]',
    ]);

    // Reply quality is kept: the answer is the model's, grounded in the price passage.
    const { resources } = await host.runtime.cosmos
      .container('messages')
      .items.query<MessageDoc>({
        query: 'SELECT * FROM c WHERE c.tenantId = @t AND c.recipientId = @u AND c.direction = "out"',
        parameters: [
          { name: '@t', value: t.id },
          { name: '@u', value: userId },
        ],
      })
      .fetchAll();
    const answered = resources.find((m) => m.lineage?.generator === 'azure-openai' && /450 RON/.test(m.text ?? ''));
    expect(answered).toBeDefined();
  });

  it('§13 the playground sends the same redacted text to the model', async () => {
    host.openai.mode = 'ok';
    const from = host.openai.received.length;
    const res = await api(host, t.owner, 'POST', '/api/v1/playground/replies', {
      body: { question: 'I am Ana Popescu (0722123456, ana.popescu@gmail.com): how much is balayage?' },
    });
    expect(res.body).toMatchObject({ handoff: false, generator: 'azure-openai' });
    const sent = host.openai.received.slice(from);
    expect(sent.map((r) => r.endpoint).sort()).toEqual(['chat', 'embeddings']);
    for (const request of sent) for (const secret of SECRETS) expect(request.body).not.toContain(secret);
  });
});
