param name string
param location string
param tags object
param principalId string

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: { name: 'S0' }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

// §7.1 (West Europe): the chat model is a regional Standard deployment, processed in this region only.
// gpt-4o-mini is not offered as regional Standard in westeurope; gpt-4.1-mini is (Azure OpenAI model
// matrix, standard-models.md, 2025-08). text-embedding-3-small is not offered there either, so the
// embeddings stay an EU Data Zone deployment: a discrepancy recorded in docs/privacy.md.
resource chat 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: 'gpt-4.1-mini'
  sku: { name: 'Standard', capacity: 50 }
  properties: { model: { format: 'OpenAI', name: 'gpt-4.1-mini', version: '2025-04-14' } }
}

resource embedding 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: 'text-embedding-3-small'
  dependsOn: [chat]
  sku: { name: 'DataZoneStandard', capacity: 50 }
  properties: { model: { format: 'OpenAI', name: 'text-embedding-3-small', version: '1' } }
}

// Cognitive Services OpenAI User: inference only.
resource openAiUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: account
  name: guid(account.id, principalId, 'openai-user')
  properties: { principalId: principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd') }
}

output endpoint string = account.properties.endpoint
output chatDeployment string = chat.name
output embeddingDeployment string = embedding.name
