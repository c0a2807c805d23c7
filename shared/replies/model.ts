import '@azure/openai/types';
import type { AzureOpenAI } from 'openai';
import { z } from 'zod';
import type { Settings } from '../platform/settings.js';
import { type ChatMessage, type ModelReply, modelReplySchema } from './prompt.js';

/** The model refused or filtered the content. */
export class ContentFilteredError extends Error {
  constructor() {
    super('The model content filter blocked this reply');
    this.name = 'ContentFilteredError';
  }
}

/** The model answered, but not in the agreed shape. */
export class MalformedReplyError extends Error {
  constructor(reason: string) {
    super(`The model reply is malformed: ${reason}`);
    this.name = 'MalformedReplyError';
  }
}

const jsonSchema = z.toJSONSchema(modelReplySchema) as Record<string, unknown>;

/**
 * One structured chat completion. Nothing is retained after inference (§7.1, §13): `store` is off
 * and neither prompts nor completions are logged. 429s are retried by the SDK honouring retry-after.
 */
export async function completeReply(
  client: AzureOpenAI,
  settings: Settings,
  messages: ChatMessage[],
): Promise<{ reply: ModelReply; usage: { inputTokens: number; outputTokens: number } }> {
  let completion: Awaited<ReturnType<typeof client.chat.completions.create>>;
  try {
    completion = await client.chat.completions.create({
      model: settings.AZURE_OPENAI_CHAT_DEPLOYMENT,
      messages,
      temperature: 0.2,
      max_tokens: 600,
      store: false,
      response_format: { type: 'json_schema', json_schema: { name: 'reply', strict: true, schema: jsonSchema } },
    });
  } catch (error) {
    const code =
      (error as { code?: string; error?: { code?: string } }).code ??
      (error as { error?: { code?: string } }).error?.code;
    if (code === 'content_filter') throw new ContentFilteredError();
    throw error;
  }
  const choice = completion.choices[0];
  if (!choice) throw new MalformedReplyError('no choices');
  if (choice.finish_reason === 'content_filter' || choice.message.refusal) throw new ContentFilteredError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(choice.message.content ?? '');
  } catch {
    throw new MalformedReplyError('not JSON');
  }
  const reply = modelReplySchema.safeParse(parsed);
  if (!reply.success) throw new MalformedReplyError('does not match the schema');
  return {
    reply: reply.data,
    usage: {
      inputTokens: completion.usage?.prompt_tokens ?? 0,
      outputTokens: completion.usage?.completion_tokens ?? 0,
    },
  };
}
