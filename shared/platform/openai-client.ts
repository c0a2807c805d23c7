import '@azure/openai/types';
import { getBearerTokenProvider } from '@azure/identity';
import { AzureOpenAI } from 'openai';
import { azureCredential } from './identity.js';
import type { Settings } from './settings.js';

let cached: { key: string; client: AzureOpenAI } | undefined;

/** The Azure OpenAI client, or undefined when no endpoint is configured (the fallback answers). */
export function modelClient(settings: Settings): AzureOpenAI | undefined {
  if (!settings.AZURE_OPENAI_ENDPOINT) return undefined;
  const key = [
    settings.AZURE_OPENAI_ENDPOINT,
    settings.AZURE_OPENAI_API_KEY ?? 'mi',
    settings.OPENAI_TIMEOUT_MS,
    settings.OPENAI_MAX_RETRIES,
  ].join('|');
  if (cached?.key !== key) {
    const auth = settings.AZURE_OPENAI_API_KEY
      ? { apiKey: settings.AZURE_OPENAI_API_KEY }
      : {
          azureADTokenProvider: getBearerTokenProvider(
            azureCredential(),
            'https://cognitiveservices.azure.com/.default',
          ),
        };
    const client = new AzureOpenAI({
      endpoint: settings.AZURE_OPENAI_ENDPOINT,
      apiVersion: settings.AZURE_OPENAI_API_VERSION,
      timeout: settings.OPENAI_TIMEOUT_MS,
      maxRetries: settings.OPENAI_MAX_RETRIES,
      ...auth,
    });
    cached = { key, client };
  }
  return cached.client;
}
