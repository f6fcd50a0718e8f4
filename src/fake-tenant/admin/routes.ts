/**
 * The local-only admin API under /_fake, used by tests and demos: reset the tenant, run sync
 * cycles, read the logs, change settings, inject faults, mint tokens, edit objects behind Graph.
 */
import { jsonReply, noContent, type HttpReply } from '../http';
import type { Seed } from '../model';
import { largeSeed, type LargeSeedOptions } from '../large-seed';
import { SeedError } from '../seed-validation';
import { adGroup } from './ad';
import { adminError, type AdminContext, type AdminInput } from './context';
import { deleteGroup, getGroup, listGroups, patchApp, patchUser } from './directory';
import { addFault, clearFaults, listFaults } from './faults';
import { putSettings } from './settings';
import { channelToken, ssoToken } from './tokens';

type Handler = (ctx: AdminContext, input: AdminInput, origin: string) => HttpReply;
/** For /_fake/.../{id}: `rawId` is the last path segment, not yet decoded. */
type ObjectHandler = (ctx: AdminContext, input: AdminInput, rawId: string, method: string) => HttpReply;

const ROUTES = new Map<string, Handler>([
  ['POST /_fake/reset', resetTenant],
  ['POST /_fake/sync', (ctx) => jsonReply(200, ctx.tenant().runSyncCycle(ctx.settings.syncClient))],
  ['GET /_fake/sync', (ctx) => jsonReply(200, { history: ctx.tenant().syncHistory })],
  ['GET /_fake/requests', (ctx) => jsonReply(200, ctx.requests)],
  ['DELETE /_fake/requests', (ctx) => clear(ctx.requests)],
  ['GET /_fake/token-requests', (ctx) => jsonReply(200, ctx.tokenRequests)],
  ['DELETE /_fake/token-requests', (ctx) => clear(ctx.tokenRequests)],
  ['GET /_fake/settings', (ctx) => jsonReply(200, ctx.settings)],
  ['PUT /_fake/settings', putSettings],
  ['POST /_fake/faults', addFault],
  ['GET /_fake/faults', listFaults],
  ['DELETE /_fake/faults', clearFaults],
  ['POST /_fake/channel-token', channelToken],
  ['POST /_fake/sso-token', ssoToken],
  ['GET /_fake/audits', (ctx) => jsonReply(200, ctx.tenant().audits)],
  ['GET /_fake/groups', listGroups],
]);

/** Routes on one object; without `methods`, the handler answers every method itself. */
const OBJECT_ROUTES: Array<{ pattern: RegExp; methods?: string[]; handler: ObjectHandler }> = [
  { pattern: /^\/_fake\/ad\/groups\/([^/]+)$/, handler: adGroup },
  { pattern: /^\/_fake\/users\/([^/]+)$/, methods: ['PATCH'], handler: patchUser },
  { pattern: /^\/_fake\/apps\/([^/]+)$/, methods: ['PATCH'], handler: patchApp },
  { pattern: /^\/_fake\/groups\/([^/]+)$/, methods: ['DELETE'], handler: deleteGroup },
  { pattern: /^\/_fake\/groups\/([^/]+)$/, methods: ['GET'], handler: getGroup },
];

export function handleAdmin(
  ctx: AdminContext,
  method: string,
  path: string,
  body: string | undefined,
  origin: string,
): HttpReply {
  let input: AdminInput;
  try {
    input = parseInput(body);
  } catch {
    return adminError(400, 'The body must be a JSON object.');
  }
  const route = `${method} ${path}`;
  try {
    const handler = ROUTES.get(route);
    if (handler) return handler(ctx, input, origin);
    for (const r of OBJECT_ROUTES) {
      const m = r.pattern.exec(path);
      if (m && (!r.methods || r.methods.includes(method))) return r.handler(ctx, input, m[1]!, method);
    }
    return adminError(404, `No admin route ${route}.`);
  } catch (e) {
    if (e instanceof SeedError) return adminError(400, `Invalid seed: ${e.message}`);
    throw e;
  }
}

function parseInput(body: string | undefined): AdminInput {
  if (!body || !body.trim()) return null;
  const v = JSON.parse(body) as unknown;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new SyntaxError('not an object');
  return v as Record<string, unknown>;
}

/** POST /_fake/reset: the default seed, a given seed, or a generated large one (`{ generate: {...} }`). */
function resetTenant(ctx: AdminContext, input: AdminInput): HttpReply {
  if (!input) ctx.reset();
  else if (input.generate && typeof input.generate === 'object')
    ctx.reset(largeSeed(input.generate as LargeSeedOptions));
  else ctx.reset(input as unknown as Seed);
  const tenant = ctx.tenant();
  return jsonReply(200, { tenantId: tenant.tenantId, users: tenant.users.size, groups: tenant.groups.size });
}

function clear(log: unknown[]): HttpReply {
  log.length = 0;
  return noContent();
}
