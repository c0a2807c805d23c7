param name string
param location string
param tags object
param containers array
param principalId string
param operatorPrincipalId string

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [{ locationName: location, failoverPriority: 0, isZoneRedundant: false }]
    capabilities: [{ name: 'EnableServerless' }]
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
    // Continuous backup, 7-day tier (PLATFORM_RETENTION.cosmosContinuousBackupDays): the shortest there is,
    // a residual copy inside §9 "Backups: up to 90 days". The restore runbook uses the nightly NDJSON
    // backups (tombstones replayed), never point-in-time restore.
    backupPolicy: { type: 'Continuous', continuousModeProperties: { tier: 'Continuous7Days' } }
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: account
  name: 'aliat'
  properties: { resource: { id: 'aliat' } }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [
  for c in containers: {
    parent: database
    name: c.name
    properties: {
      resource: union({ id: c.name, partitionKey: { paths: [c.partitionKey], kind: 'Hash' } }, contains(c, 'defaultTtl') ? { defaultTtl: c.defaultTtl } : {})
    }
  }
]

// Cosmos DB Built-in Data Contributor, data plane only, on this account.
resource dataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: account
  name: guid(account.id, principalId, 'data-contributor')
  properties: {
    principalId: principalId
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002'
    scope: account.id
  }
}

// The same data-plane role for the operator: the restore runbook writes into a database Bicep or
// the control plane created, and reads the live tombstones. No control-plane rights come with it.
resource operatorDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: account
  name: guid(account.id, operatorPrincipalId, 'data-contributor')
  properties: {
    principalId: operatorPrincipalId
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002'
    scope: account.id
  }
}

output endpoint string = account.properties.documentEndpoint
