// Azure Bot for the SOA bot: the single-tenant registration, its Microsoft Teams channel and
// the OAuth connection that Teams single sign-on fills. Used by azure.bicep (endpoint on the
// web app) and on its own for debugging in Teams (endpoint on a tunnel to this machine).

@minLength(4)
@maxLength(20)
@description('Base name of the resources; the bot resource is named after it.')
param resourceBaseName string

@maxLength(42)
@description('Name shown for the bot.')
param botDisplayName string

param botServiceName string = resourceBaseName
param botServiceSku string = 'F0'

@description('Client id of the bot\'s Entra app (BOT_ID); the same app serves SSO and on-behalf-of.')
param botAadAppClientId string

@secure()
@description('Client secret of the bot\'s Entra app.')
param botAadAppClientSecret string

@description('Tenant of the bot\'s Entra app (single-tenant).')
param botTenantId string = tenant().tenantId

@description('Messaging endpoint, https://<host>/api/messages.')
param botEndpoint string

@minLength(2)
@maxLength(64)
@description('Name of the OAuth connection; the bot reads the same name from OAUTH_CONNECTION_NAME.')
param oauthConnectionName string = 'graph'

// Teams SSO hands the token service a token for the bot's own API; the bot then exchanges
// the stored token on behalf of the approver for Microsoft Graph (src/infra/tokens/bot-token-service.ts).
// The Graph permissions themselves are declared and consented on the Entra app (aad.manifest.json).
var ssoScope = 'api://botid-${botAadAppClientId}/access_as_user'

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botServiceName
  kind: 'azurebot'
  location: 'global'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: botEndpoint
    msaAppId: botAadAppClientId
    msaAppType: 'SingleTenant'
    msaAppTenantId: botTenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

resource ssoConnection 'Microsoft.BotService/botServices/connections@2022-09-15' = {
  parent: botService
  name: oauthConnectionName
  location: 'global'
  properties: {
    // Fixed id of the "Azure Active Directory v2" service provider of the Bot Framework token service.
    serviceProviderId: '30dd229c-58e3-4a48-bdfd-91ec48eb906c'
    serviceProviderDisplayName: 'Azure Active Directory v2'
    clientId: botAadAppClientId
    clientSecret: botAadAppClientSecret
    scopes: 'openid profile offline_access ${ssoScope}'
    parameters: [
      {
        key: 'tenantID'
        value: botTenantId
      }
      {
        // Must equal the Entra app's identifier URI (aad.manifest.json) for the token exchange.
        key: 'tokenExchangeUrl'
        value: 'api://botid-${botAadAppClientId}'
      }
    ]
  }
}
