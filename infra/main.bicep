// Aliat: the whole platform, in West Europe, identity-based throughout.
// Deployed at resource-group scope: azd needs AZURE_RESOURCE_GROUP (see infra/README.md).
targetScope = 'resourceGroup'

@description('Short environment name, used in resource names.')
@minLength(2)
@maxLength(12)
param environmentName string

@description('The region of every resource, from AZURE_LOCATION. The privacy policy declares West Europe, so nothing else is accepted.')
@allowed(['westeurope'])
param location string = 'westeurope'

@description('The person (or CI principal) running azd: AZURE_PRINCIPAL_ID. Gets the least data-plane roles the runbooks need.')
param principalId string

@description('User for a person, ServicePrincipal for a CI identity.')
@allowed(['User', 'ServicePrincipal'])
param principalType string = 'User'

@description('Changes after `azd down` (the postdown hook clears it), so the next Key Vault gets a new name: a purge-protected vault keeps its name for 90 days.')
param keyVaultGeneration string = ''

@description('Auth0 tenant URL (issuer) and API identifier of the dashboard API.')
param authIssuer string
param authAudience string

@description('Public base URL of the API (custom domain or the function app host).')
param publicBaseUrl string

@description('Browser origins of the dashboard, allowed by CORS (no credentials).')
param dashboardOrigins array = ['https://app.aliat.app']

@description('Meta app id (not secret).')
param metaAppId string

@description('Where alerts go.')
param alertEmail string

@description('Stripe price ids of the plans.')
param stripePriceStarter string
param stripePriceGrowth string
param stripePricePro string

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { app: 'aliat', environment: environmentName }

// Every Service Bus queue the functions listen on and the code sends to. A test keeps this list and
// the app's own (shared/platform/queues.ts and the captured trigger registrations) identical.
var queues = [
  { name: 'meta-events', requiresSession: true, maxDeliveryCount: 10, duplicateDetectionWindow: 'PT60M' }
  { name: 'replies', requiresSession: true, maxDeliveryCount: 10, duplicateDetectionWindow: 'PT60M' }
  { name: 'outbound', requiresSession: true, maxDeliveryCount: 10, duplicateDetectionWindow: 'PT60M' }
  { name: 'knowledge-index', requiresSession: true, maxDeliveryCount: 5, duplicateDetectionWindow: 'PT60M' }
  { name: 'privacy-jobs', requiresSession: true, maxDeliveryCount: 10, duplicateDetectionWindow: 'PT1440M' }
  { name: 'stripe-events', requiresSession: true, maxDeliveryCount: 10, duplicateDetectionWindow: 'PT1440M' }
  { name: 'insights-events', requiresSession: true, maxDeliveryCount: 10, duplicateDetectionWindow: 'PT60M' }
  { name: 'emails', requiresSession: false, maxDeliveryCount: 5, duplicateDetectionWindow: 'PT1440M' }
]

// Every Cosmos DB container, with its partition key and default TTL (-1: on, per item; absent: off).
// A test keeps this list and shared/platform/containers.ts identical.
var containers = [
  { name: 'tenants', partitionKey: '/tenantId' }
  { name: 'channels', partitionKey: '/tenantId' }
  { name: 'routes', partitionKey: '/id' }
  { name: 'contacts', partitionKey: '/tenantId' }
  { name: 'conversations', partitionKey: '/tenantId' }
  { name: 'messages', partitionKey: '/tenantId' }
  { name: 'knowledge', partitionKey: '/tenantId' }
  { name: 'usage', partitionKey: '/tenantId' }
  { name: 'billing', partitionKey: '/tenantId' }
  { name: 'audit', partitionKey: '/tenantId', defaultTtl: 31536000 }
  { name: 'privacy', partitionKey: '/id' }
  { name: 'marketing', partitionKey: '/id' }
  { name: 'insights', partitionKey: '/tenantId' }
  { name: 'insightThreads', partitionKey: '/tenantId' }
  { name: 'dedup', partitionKey: '/id', defaultTtl: 604800 }
]

// Blob containers: the app's data and the deployment package of the function app.
var blobContainers = ['knowledge', 'attachments', 'exports', 'backups']
var deploymentContainer = 'deployment-package'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { name: 'id-aliat-${token}', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { token: token, location: location, tags: tags, alertEmail: alertEmail }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: { name: 'staliat${token}', location: location, tags: tags, containers: concat(blobContainers, [deploymentContainer]), principalId: identity.outputs.principalId, operatorPrincipalId: principalId, operatorPrincipalType: principalType }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: { name: 'cosmos-aliat-${token}', location: location, tags: tags, containers: containers, principalId: identity.outputs.principalId, operatorPrincipalId: principalId }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: { name: 'sb-aliat-${token}', location: location, tags: tags, queues: queues, principalId: identity.outputs.principalId, actionGroupId: monitoring.outputs.actionGroupId }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: { name: 'kv-aliat-${take(uniqueString(subscription().id, resourceGroup().id, environmentName, keyVaultGeneration), 13)}', location: location, tags: tags, principalId: identity.outputs.principalId, operatorPrincipalId: principalId, operatorPrincipalType: principalType }
}

module openAi 'modules/openai.bicep' = {
  name: 'openai'
  params: { name: 'oai-aliat-${token}', location: location, tags: tags, principalId: identity.outputs.principalId }
}

module webPubSub 'modules/webpubsub.bicep' = {
  name: 'webpubsub'
  params: { name: 'wps-aliat-${token}', location: location, tags: tags, principalId: identity.outputs.principalId, hubName: 'inbox' }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  // The host reads its storage and deployment package with the identity from the first start:
  // wait for the storage module, whose role assignments grant that.
  dependsOn: [storage]
  params: {
    name: 'func-aliat-${token}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    identityPrincipalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    deploymentContainer: deploymentContainer
    appInsightsId: monitoring.outputs.appInsightsId
    actionGroupId: monitoring.outputs.actionGroupId
    cosmosEndpoint: cosmos.outputs.endpoint
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    keyVaultUri: keyVault.outputs.uri
    openAiEndpoint: openAi.outputs.endpoint
    openAiChatDeployment: openAi.outputs.chatDeployment
    openAiEmbeddingDeployment: openAi.outputs.embeddingDeployment
    dashboardOrigins: dashboardOrigins
    settings: {
      ALIAT_ENV: 'production'
      PUBLIC_BASE_URL: publicBaseUrl
      AUTH_ISSUER: authIssuer
      AUTH_AUDIENCE: authAudience
      META_APP_ID: metaAppId
      STRIPE_PRICE_STARTER: stripePriceStarter
      STRIPE_PRICE_GROWTH: stripePriceGrowth
      STRIPE_PRICE_PRO: stripePricePro
      COPY_ATTACHMENTS: 'true'
      DASHBOARD_ORIGINS: join(dashboardOrigins, ',')
      WEB_PUBSUB_ENDPOINT: webPubSub.outputs.endpoint
      WEB_PUBSUB_HUB: webPubSub.outputs.hubName
    }
  }
}

output functionAppName string = functionApp.outputs.name
output functionAppHost string = functionApp.outputs.defaultHostName
output keyVaultName string = keyVault.outputs.name
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
