/** The client credentials grant: an app-only Graph token carrying the app's application permissions. */
import type { Claims } from '../jwt';
import type { SeedApp } from '../model';
import { aadError, type TokenResult } from './aad-error';
import { graphToken, type TokenContext } from './graph-token';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from './well-known';

export function clientCredentials(ctx: TokenContext, app: SeedApp, scope: string): TokenResult {
  const scopes = scope.split(/\s+/).filter(Boolean);
  if (scopes.length !== 1 || !scopes[0]!.endsWith('/.default')) {
    return aadError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope || '(empty)'} is not valid. Client credential flows must have ` +
        'a scope value with /.default suffixed to the resource identifier (application ID URI).',
    );
  }
  const resource = scopes[0]!.slice(0, -'/.default'.length).replace(/\/$/, '');
  if (resource !== GRAPH_RESOURCE && resource !== GRAPH_APP_ID) {
    return aadError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ` +
        `${ctx.tenant.organization.displayName}. This can happen if the application has not been installed ` +
        'by the administrator of the tenant or consented to by any user in the tenant.',
    );
  }
  const claims: Claims = {
    appid: app.clientId,
    appidacr: '1',
    idtyp: 'app',
    oid: app.servicePrincipalId,
    sub: app.servicePrincipalId,
    app_displayname: app.displayName,
  };
  if (app.applicationPermissions.length) claims.roles = [...app.applicationPermissions];
  const { token, expiresIn } = graphToken(ctx, claims);
  return {
    status: 200,
    body: { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token },
  };
}
