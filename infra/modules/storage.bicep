param name string
param location string
param tags object
param containers array
param principalId string
param operatorPrincipalId string
param operatorPrincipalType string

// §9 "Backups: up to 90 days". These numbers are PLATFORM_RETENTION in shared/privacy/policy.ts (the
// infra test compares them): backups deleted after 82 days + 7 days soft delete = 89 days, a day left
// for the daily lifecycle run. Soft delete also bounds how long an erased attachment or export survives.
var softDeleteDays = 7
var backupDays = 82
var exportDays = 7

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    encryption: {
      keySource: 'Microsoft.Storage'
      services: { blob: { enabled: true }, queue: { enabled: true }, table: { enabled: true } }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: true, days: softDeleteDays }
    containerDeleteRetentionPolicy: { enabled: true, days: softDeleteDays }
  }
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for c in containers: {
    parent: blobService
    name: c
    properties: { publicAccess: 'None' }
  }
]

// Backups are deleted after backupDays (§9), exports after exportDays (their promised lifetime; the daily purge deletes them first).
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-backups'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['backups/'] }
            actions: { baseBlob: { delete: { daysAfterCreationGreaterThan: backupDays } } }
          }
        }
        {
          name: 'delete-exports'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['exports/'] }
            actions: { baseBlob: { delete: { daysAfterCreationGreaterThan: exportDays } } }
          }
        }
      ]
    }
  }
}

// The app's identity: blob data (host storage, deployment package, app data, user delegation SAS),
// and the queue and table access the Functions host itself uses for timers and leases.
var roles = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
]

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in roles: {
    scope: account
    name: guid(account.id, principalId, role)
    properties: { principalId: principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role) }
  }
]

// Storage Blob Data Reader for the operator: the restore runbook lists and reads backups.
resource operatorBlobReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: account
  name: guid(account.id, operatorPrincipalId, 'blob-reader')
  properties: { principalId: operatorPrincipalId, principalType: operatorPrincipalType, roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1') }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
