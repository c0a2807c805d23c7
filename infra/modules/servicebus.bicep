param name string
param location string
param tags object
param queues array
param principalId string
param actionGroupId string

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource sbQueues 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = [
  for q in queues: {
    parent: namespace
    name: q.name
    properties: {
      requiresSession: q.requiresSession
      maxDeliveryCount: q.maxDeliveryCount
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: q.duplicateDetectionWindow
      deadLetteringOnMessageExpiration: true
      lockDuration: 'PT5M'
      // PLATFORM_RETENTION.queueMessageDays; dead letters are purged daily after 14 days and erased with their subject.
      defaultMessageTimeToLive: 'P14D'
    }
  }
]

// Send and receive on this namespace only (Data Sender and Data Receiver, not Owner).
var roles = [
  '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39' // Azure Service Bus Data Sender
  '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0' // Azure Service Bus Data Receiver
]

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in roles: {
    scope: namespace
    name: guid(namespace.id, principalId, role)
    properties: { principalId: principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role) }
  }
]

// Anything in a dead-letter queue wakes someone up.
resource deadLetterAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-${name}-dead-letters'
  location: 'global'
  tags: tags
  properties: {
    description: 'Messages are being dead-lettered. See docs/runbooks/dead-letter-queue-growing.md.'
    severity: 2
    enabled: true
    scopes: [namespace.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [{ name: 'dlq', metricName: 'DeadletteredMessages', operator: 'GreaterThan', threshold: 0, timeAggregation: 'Maximum', criterionType: 'StaticThresholdCriterion' }]
    }
    actions: [{ actionGroupId: actionGroupId }]
  }
}

output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
