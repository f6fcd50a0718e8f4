/** POST /{tenant}/oauth2/v2.0/token: the tenant, the client, then the grant asked for. */
import { aadError, type TokenResult } from './aad-error';
import { authenticateClient } from './client-auth';
import { clientCredentials } from './client-credentials';
import type { TokenContext } from './graph-token';
import { onBehalfOf } from './on-behalf-of';

export function tokenRequest(
  ctx: TokenContext,
  tenantSegment: string,
  form: URLSearchParams,
  authorization: string | undefined,
): TokenResult {
  const tenant = ctx.tenant;
  if (![tenant.tenantId, 'organizations', 'common'].includes(tenantSegment)) {
    return aadError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenantSegment}' not found. ` +
        'Check to make sure you have the correct tenant ID and are signing into the correct cloud.',
    );
  }
  // client_secret_basic is allowed too.
  let clientId = form.get('client_id') ?? undefined;
  let secret = form.get('client_secret') ?? undefined;
  if (authorization?.startsWith('Basic ')) {
    const [id, pw] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
    clientId = clientId ?? decodeURIComponent(id ?? '');
    secret = secret ?? decodeURIComponent(pw ?? '');
  }
  const grantType = form.get('grant_type');
  if (!grantType)
    return aadError(
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'grant_type'.",
    );
  const endpoint = `${ctx.base}/${tenantSegment}/oauth2/v2.0/token`;
  const client = authenticateClient(tenant, endpoint, clientId, secret, form);
  if ('refused' in client) return client.refused;
  const app = client.app;
  const scope = form.get('scope') ?? '';
  if (grantType === 'client_credentials') return clientCredentials(ctx, app, scope);
  if (grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return onBehalfOf(ctx, app, scope, form);
  return aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
}
