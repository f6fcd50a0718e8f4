// Azure resources of the SOA bot: a Linux App Service running `npm run serve`'s entry point,
// a storage account holding the request store (Blob) and the work queue (Queue), and the
// Azure Bot pointing at the web app. Outputs go to env/.env.<name> under their own names.

@minLength(4)
@maxLength(20)
@description('Base name of the resources; keep it short and lower-case (web app host name, storage account).')
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan SKU. Always On needs Basic (B1) or above.')
param webAppSku string = 'B1'

@minValue(1)
@description('Web app instances. More than one is fine: requests and jobs live in Blob and Queue storage.')
param instanceCount int = 1

@description('Client id of the bot\'s Entra app (BOT_ID).')
param botAadAppClientId string

@secure()
@description('Client secret of the bot\'s Entra app.')
param botAadAppClientSecret string

@description('Tenant of the bot\'s Entra app.')
param botTenantId string = tenant().tenantId

@description('Name of the Azure Bot OAuth connection used for Teams SSO.')
param oauthConnectionName string = 'graph'

@maxLength(42)
param botDisplayName string

@description('Entra roles whose active holders may approve (names or role template ids, comma-separated).')
param approverRoles string = 'Hybrid Identity Administrator,Global Administrator'

var webAppName = resourceBaseName
var serverfarmsName = resourceBaseName
// 3-24 lower-case letters and digits, unique per resource group.
var storageAccountName = take('${replace(toLower(resourceBaseName), '-', '')}${uniqueString(resourceGroup().id)}', 24)
var requestContainerName = 'soa-bot-requests'
var workQueueName = 'soa-bot-work'

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storageAccount
  name: 'default'
}

// One blob per approval request (src/infra/storage/blob-store.ts).
resource requestContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: requestContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storageAccount
  name: 'default'
}

// Background jobs shared by all instances (src/infra/queue/storage-queue.ts).
resource workQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: workQueueName
}

var storageConnectionString = 'DefaultEndpointsProtocol=https;AccountName=${storageAccount.name};AccountKey=${storageAccount.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'

resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: serverfarmsName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      // A bounded heap: the live set is far smaller, and V8 otherwise grows towards a machine-sized default.
      appCommandLine: 'node --max-old-space-size=192 dist/src/main.js'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      // 200 while the request store answers; App Service takes a failing instance out of rotation.
      healthCheckPath: '/readyz'
      // The first three are App Service's own; the rest are read by src/config.ts (BOT_ID set: production mode).
      appSettings: [
        {
          name: 'WEBSITE_RUN_FROM_PACKAGE'
          value: '1'
        }
        {
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'false'
        }
        {
          name: 'WEBSITE_NODE_DEFAULT_VERSION'
          value: '~20'
        }
        {
          name: 'BOT_ID'
          value: botAadAppClientId
        }
        {
          // Export download links point here.
          name: 'PUBLIC_URL'
          value: 'https://${webAppName}.azurewebsites.net'
        }
        {
          name: 'BOT_PASSWORD'
          value: botAadAppClientSecret
        }
        {
          name: 'BOT_TENANT_ID'
          value: botTenantId
        }
        {
          name: 'AAD_APP_CLIENT_ID'
          value: botAadAppClientId
        }
        {
          name: 'AAD_APP_CLIENT_SECRET'
          value: botAadAppClientSecret
        }
        {
          name: 'AAD_APP_TENANT_ID'
          value: botTenantId
        }
        {
          name: 'OAUTH_CONNECTION_NAME'
          value: oauthConnectionName
        }
        {
          name: 'STORAGE'
          value: 'blob'
        }
        {
          name: 'AZURE_STORAGE_CONNECTION_STRING'
          value: storageConnectionString
        }
        {
          name: 'STORAGE_CONTAINER'
          value: requestContainer.name
        }
        {
          name: 'STORAGE_QUEUE'
          value: workQueue.name
        }
        {
          name: 'APPROVER_ROLES'
          value: approverRoles
        }
      ]
    }
  }
}

module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'azureBotRegistration'
  params: {
    resourceBaseName: resourceBaseName
    botDisplayName: botDisplayName
    botAadAppClientId: botAadAppClientId
    botAadAppClientSecret: botAadAppClientSecret
    botTenantId: botTenantId
    botEndpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    oauthConnectionName: oauthConnectionName
  }
}

// arm/deploy writes each output to the env file under its name in upper case, unchanged
// otherwise, so the names are already the env variable names.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output STORAGE_ACCOUNT_NAME string = storageAccount.name
