import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';

let credential: TokenCredential | undefined;

/**
 * The app's Azure identity: the user-assigned managed identity when AZURE_CLIENT_ID is set,
 * otherwise the default chain (a developer's `az login` against real resources).
 */
export function azureCredential(): TokenCredential {
  const clientId = process.env.AZURE_CLIENT_ID;
  credential ??= clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential();
  return credential;
}
