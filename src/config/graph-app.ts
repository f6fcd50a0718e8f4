/** The rules for the Entra app the bot calls Graph with: its ids and credential, and the sign-in and Graph hosts. */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { isObjectId } from '../domain/command';
import type { EnvReader } from './env';

/** The PEM file must hold a private key and a certificate (what the credential reads). */
export function certificateProblem(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return `cannot read '${path}'.`;
  }
  if (!/-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/.test(text)) return `'${path}' has no PEM private key.`;
  if (!/-----BEGIN CERTIFICATE-----/.test(text)) return `'${path}' has no PEM certificate.`;
  return undefined;
}

export interface GraphCredential {
  clientId?: string;
  tenantId?: string;
  clientSecret?: string;
  /** As configured: absolute, or relative to the project root. */
  certificatePath?: string;
}

/** The credential with its certificate path made absolute; each missing or bad part recorded. */
export function graphCredential(r: EnvReader, c: GraphCredential, projectRoot: string): GraphCredential {
  const { clientId, tenantId, clientSecret } = c;
  const certificatePath =
    c.certificatePath && (isAbsolute(c.certificatePath) ? c.certificatePath : join(projectRoot, c.certificatePath));
  if (!clientId) r.problem('AAD_APP_CLIENT_ID is missing: the Entra app id used for Microsoft Graph.');
  else if (!isObjectId(clientId)) r.problem(`AAD_APP_CLIENT_ID must be a GUID, not '${clientId}'.`);
  if (!tenantId) r.problem('AAD_APP_TENANT_ID is missing: the Entra tenant id.');
  if (!clientSecret && !certificatePath)
    r.problem(
      'AAD_APP_CLIENT_SECRET (or AAD_APP_CERTIFICATE_PATH) is missing: the Entra app credential for on-behalf-of.',
    );
  if (certificatePath) {
    const problem = certificateProblem(certificatePath);
    if (problem) r.problem(`AAD_APP_CERTIFICATE_PATH: ${problem}`);
  }
  return { clientId, tenantId, clientSecret, certificatePath };
}

export interface GraphHosts {
  /** Local mode: the fake tenant that stands in for Entra ID and Graph. */
  fakeTenantUrl: string | undefined;
  authorityHost: string;
  graphBaseUrl: string;
}

/** Local mode defaults to the fake tenant for both; production to Microsoft's public cloud. Both must be https. */
export function graphHosts(
  r: EnvReader,
  mode: 'local' | 'production',
  s: { fakeTenantPort: number; fakeTenantUrl?: string; authorityHost?: string; graphBaseUrl?: string },
): GraphHosts {
  const fakeTenantUrl = mode === 'local' ? (s.fakeTenantUrl ?? `https://localhost:${s.fakeTenantPort}`) : undefined;
  const authorityHost = s.authorityHost ?? (mode === 'local' ? fakeTenantUrl! : 'https://login.microsoftonline.com');
  const graphBaseUrl = s.graphBaseUrl ?? (mode === 'local' ? fakeTenantUrl! : 'https://graph.microsoft.com');
  for (const [k, v] of [
    ['AUTHORITY_HOST', authorityHost],
    ['GRAPH_BASE_URL', graphBaseUrl],
  ] as const) {
    if (!/^https:\/\//.test(v)) r.problem(`${k} must be an https URL, not '${v}'.`);
  }
  return { fakeTenantUrl, authorityHost, graphBaseUrl };
}
