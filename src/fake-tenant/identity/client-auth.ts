/** Client authentication at the token endpoint: a client secret, or a certificate's signed assertion. */
import { constants, verify, X509Certificate } from 'node:crypto';
import type { Claims } from '../jwt';
import type { SeedApp } from '../model';
import type { Tenant } from '../tenant';
import { aadError, type TokenResult } from './aad-error';

const refuse = (...args: Parameters<typeof aadError>) => ({ refused: aadError(...args) });

/**
 * The app registration the request authenticates as, or the error to answer (`refused`).
 * `endpoint` is the token endpoint's URL as called (the audience a client assertion must name).
 */
export function authenticateClient(
  tenant: Tenant,
  endpoint: string,
  clientId: string | undefined,
  secret: string | undefined,
  form: URLSearchParams,
): { app: SeedApp } | { refused: TokenResult } {
  if (!clientId)
    return refuse(
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'client_id'.",
    );
  const app = tenant.apps.get(clientId);
  if (!app) {
    return refuse(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory ` +
        `'${tenant.organization.displayName}'. This can happen if the application has not been installed by ` +
        'the administrator of the tenant or consented to by any user in the tenant. ' +
        'You might have sent your authentication request to the wrong tenant.',
    );
  }
  const assertion = form.get('client_assertion');
  if (assertion) {
    const problem = checkClientAssertion(endpoint, app, assertion, form.get('client_assertion_type'));
    if (problem) return { refused: problem };
  } else if (!secret)
    return refuse(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  if (!assertion && !app.secrets.includes(secret!)) {
    return refuse(
      401,
      'invalid_client',
      7000215,
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret ' +
        `value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
    );
  }
  return { app };
}

/**
 * A certificate credential: an RS256 (x5t, SHA-1 thumbprint) or PS256 (x5t#S256) JWT signed
 * with the key of a certificate registered on the app, for this token endpoint, not expired.
 */
function checkClientAssertion(
  endpoint: string,
  app: SeedApp,
  assertion: string,
  type: string | null,
): TokenResult | null {
  const bad = (code: number, message: string) => aadError(401, 'invalid_client', code, message);
  if (type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    return aadError(
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'client_assertion_type' with the value " +
        "'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.",
    );
  const [h, p, sig] = assertion.split('.');
  let header: Record<string, unknown>;
  let claims: Claims;
  try {
    header = JSON.parse(Buffer.from(h ?? '', 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8'));
  } catch {
    return bad(700025, 'Client assertion is not a valid JWT.');
  }
  const wanted = header['x5t#S256'] ?? header.x5t;
  const cert = (app.certificates ?? [])
    .map((pem) => new X509Certificate(pem))
    .find((c) => {
      const hex = (header['x5t#S256'] ? c.fingerprint256 : c.fingerprint).replace(/:/g, '');
      return Buffer.from(hex, 'hex').toString('base64url') === wanted;
    });
  if (!cert)
    return bad(
      700027,
      `Client assertion failed signature validation: no certificate with thumbprint '${String(wanted)}' ` +
        `is registered for app '${app.clientId}'.`,
    );
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(sig ?? '', 'base64url');
  const ok =
    header.alg === 'RS256'
      ? verify('sha256', data, cert.publicKey, signature)
      : header.alg === 'PS256'
        ? verify(
            'sha256',
            data,
            {
              key: cert.publicKey,
              padding: constants.RSA_PKCS1_PSS_PADDING,
              saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
            },
            signature,
          )
        : false;
  if (!ok) return bad(700027, 'Client assertion failed signature validation.');
  if (claims.iss !== app.clientId || claims.sub !== app.clientId)
    return bad(700023, 'Client assertion issuer and subject must be the client id.');
  if (claims.aud !== endpoint)
    return bad(700027, `Client assertion audience '${String(claims.aud)}' is not this token endpoint.`);
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp < now || (typeof claims.nbf === 'number' && claims.nbf > now + 300))
    return bad(700024, 'Client assertion is not within its valid time range.');
  return null;
}
