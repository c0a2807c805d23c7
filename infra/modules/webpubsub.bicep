param name string
param location string
param tags object
param principalId string
@description('Hub of the live inbox; the app setting WEB_PUBSUB_HUB names the same hub.')
param hubName string

// Azure Web PubSub in serverless mode: the app publishes over REST and hands out client access
// URLs; clients only listen. Local auth (access keys) is off: the app signs with its identity.
resource service 'Microsoft.SignalRService/webPubSub@2024-03-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard_S1', tier: 'Standard', capacity: 1 }
  properties: {
    disableLocalAuth: true
    disableAadAuth: false
    publicNetworkAccess: 'Enabled'
    tls: { clientCertEnabled: false }
  }
}

// No event handlers: nothing a client sends reaches the app, and anonymous connections are refused.
resource hub 'Microsoft.SignalRService/webPubSub/hubs@2024-03-01' = {
  parent: service
  name: hubName
  properties: { anonymousConnectPolicy: 'deny', eventHandlers: [] }
}

// Web PubSub Service Owner: publish to groups and users, and generate client access tokens.
resource serviceOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: service
  name: guid(service.id, principalId, 'webpubsub-service-owner')
  properties: { principalId: principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '12cf5a90-567b-43ae-8102-96cf46c7d9b4') }
}

output endpoint string = 'https://${service.properties.hostName}'
output hubName string = hub.name
