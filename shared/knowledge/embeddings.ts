import type { AzureOpenAI } from 'openai';
import type { Settings } from '../platform/settings.js';

/** Embeddings for texts, in batches, when an embedding deployment is configured. */
export async function embed(client: AzureOpenAI, settings: Settings, texts: string[]): Promise<number[][]> {
  const deployment = settings.AZURE_OPENAI_EMBEDDING_DEPLOYMENT;
  if (!deployment) throw new Error('no embedding deployment');
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += 64) {
    const res = await client.embeddings.create({ model: deployment, input: texts.slice(i, i + 64) });
    out.push(...res.data.sort((a, b) => a.index - b.index).map((d) => d.embedding));
  }
  return out;
}
