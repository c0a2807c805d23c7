param name string
param location string
param tags object
param principalId string
param operatorPrincipalId string
param operatorPrincipalType string

// Holds the page-token encryption key and the outside parties' secrets, read through Key Vault
// references in app settings. The secret values are set by the operator (see infra/README.md).
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

// Key Vault Secrets User: read secret values, nothing else.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, principalId, 'secrets-user')
  properties: { principalId: principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6') }
}

// Key Vault Secrets Officer for the operator: `az keyvault secret set` in infra/README.md and the
// rotation runbook. Secrets only; no keys, certificates or access administration.
resource operatorSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, operatorPrincipalId, 'secrets-officer')
  properties: { principalId: operatorPrincipalId, principalType: operatorPrincipalType, roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7') }
}

output uri string = vault.properties.vaultUri
output name string = vault.name
