param token string
param location string
param tags object
param alertEmail string

// §9 "Logs (security, access, error): up to 12 months".
var logRetentionDays = 365

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-aliat-${token}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: logRetentionDays
    features: { disableLocalAuth: true }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-aliat-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    RetentionInDays: logRetentionDays
    DisableLocalAuth: true
    DisableIpMasking: false
  }
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-aliat-${token}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'aliat-oncall'
    enabled: true
    emailReceivers: [{ name: 'on-call', emailAddress: alertEmail, useCommonAlertSchema: true }]
  }
}

output appInsightsId string = appInsights.id
output actionGroupId string = actionGroup.id
