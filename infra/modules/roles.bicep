// The least data roles the app's identity needs, each scoped to the one resource it is for.
param principalId string
param storageAccountName string
param appInsightsName string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

var storageRoles = [
  {
    // Host leases and keys, Durable large messages and leases, run records, payloads, the deployment package.
    // The Functions host needs Owner, not Contributor, on the AzureWebJobsStorage account.
    id: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
    description: 'Storage Blob Data Owner: Functions host, Durable task hub blobs, run store, deployment package'
  }
  {
    id: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
    description: 'Storage Queue Data Contributor: Durable control and work-item queues, pipeline-starts queues'
  }
  {
    id: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
    description: 'Storage Table Data Contributor: Durable instances and history tables'
  }
]

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: {
  name: guid(storage.id, principalId, role.id)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.id)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: role.description
  }
}]

// Application Insights with local auth disabled takes telemetry only from identities with this role.
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource telemetryRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Monitoring Metrics Publisher: Entra ID telemetry ingestion'
  }
}
