param name string
param location string
param tags object
param identityId string
param identityClientId string
param identityPrincipalId string
param storageAccountName string
param deploymentContainer string
param appInsightsId string
param actionGroupId string
param cosmosEndpoint string
param serviceBusNamespace string
param keyVaultUri string
param openAiEndpoint string
param openAiChatDeployment string
param openAiEmbeddingDeployment string
@description('Browser origins of the dashboard; the platform answers CORS for them.')
param dashboardOrigins array
@description('Plain (non-secret) app settings.')
param settings object

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

// Secrets are Key Vault references, resolved by the platform with the app's identity.
var kvRef = '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/'

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identityId}': {} } }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // The same origins as the DASHBOARD_ORIGINS setting; a bearer token, never cookies, so no credentials.
      cors: { allowedOrigins: dashboardOrigins, supportCredentials: false }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 100, instanceMemoryMB: 2048 }
      runtime: { name: 'node', version: '22' }
    }
  }
}

// Identity-based connections and Key Vault references; main.bicep adds the plain settings. A test
// checks the union against the app's settings schema (every required setting, no local stand-in).
var platformSettings = {
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identityClientId
  AZURE_CLIENT_ID: identityClientId
  COSMOS_ENDPOINT: cosmosEndpoint
  BLOB_ACCOUNT_URL: storage.properties.primaryEndpoints.blob
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsComponent.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  AZURE_OPENAI_ENDPOINT: openAiEndpoint
  AZURE_OPENAI_CHAT_DEPLOYMENT: openAiChatDeployment
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: openAiEmbeddingDeployment
  META_APP_SECRET: '${kvRef}meta-app-secret/)'
  META_VERIFY_TOKEN: '${kvRef}meta-verify-token/)'
  TOKEN_ENCRYPTION_KEY: '${kvRef}token-encryption-key/)'
  STRIPE_SECRET_KEY: '${kvRef}stripe-secret-key/)'
  STRIPE_WEBHOOK_SECRET: '${kvRef}stripe-webhook-secret/)'
  SENDGRID_API_KEY: '${kvRef}sendgrid-api-key/)'
  UNSUBSCRIBE_SECRET: '${kvRef}unsubscribe-secret/)'
  AUTH_ACTION_SECRET: '${kvRef}auth-action-secret/)'
  PSEUDONYM_KEY: '${kvRef}pseudonym-key/)'
  PAGE_TOKEN_SECRET: '${kvRef}page-token-secret/)'
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(settings, platformSettings)
}

// Monitoring Metrics Publisher on Application Insights (its local auth is off).
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: appInsightsComponent
  name: guid(appInsightsId, identityId, 'metrics-publisher')
  properties: { principalId: identityPrincipalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb') }
}

resource appInsightsComponent 'Microsoft.Insights/components@2020-02-02' existing = {
  name: last(split(appInsightsId, '/'))
}

resource failureAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-${name}-failures'
  location: 'global'
  tags: tags
  properties: {
    description: 'Function executions are failing.'
    severity: 2
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [{ name: 'failures', metricName: 'requests/failed', operator: 'GreaterThan', threshold: 5, timeAggregation: 'Count', criterionType: 'StaticThresholdCriterion' }]
    }
    actions: [{ actionGroupId: actionGroupId }]
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
