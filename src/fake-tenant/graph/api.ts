/**
 * The Microsoft Graph side of the fake tenant (v1.0 and beta): authenticates each call, applies
 * injected faults and latency, logs it, and hands it to the resource its path names.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { takeFault, type Fault } from '../faults';
import type { HttpReply } from '../http';
import type { Identity } from '../identity/identity';
import type { Principal } from '../identity/principal';
import type { Settings } from '../model';
import type { Tenant } from '../tenant';
import { auditLogs } from './audit';
import { batch } from './batch';
import { errorResponse, fail, GraphFailure } from './errors';
import { groups } from './groups';
import { organization } from './organization';
import { logRequest, type RequestLogEntry } from './request-log';
import { faultResponse } from './responses';
import type { Call, GraphRequest } from './types';
import { me, users } from './users';

export interface GraphContext {
  tenant: () => Tenant;
  settings: () => Settings;
  identity: Identity;
  faults: Fault[];
  log: RequestLogEntry[];
}

const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", ' +
  'client_id="00000003-0000-0000-c000-000000000000"';

export class GraphApi {
  constructor(private readonly ctx: GraphContext) {}

  /** Handles one Graph request (a plain call, or one step of a $batch). */
  async handle(req: GraphRequest): Promise<HttpReply> {
    const requestId = randomUUID();
    const auth = this.ctx.identity.principal(req.headers.authorization);
    const principal = 'kind' in auth ? auth : null;
    let res: HttpReply;
    const fault = takeFault(this.ctx.faults, req.path, req.method);
    if (!req.batchId && this.ctx.settings().latencyMs > 0) await sleep(this.ctx.settings().latencyMs);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.status) {
      res = faultResponse(fault, requestId);
    } else if (!principal) {
      res = errorResponse(401, (auth as { code: string }).code, (auth as { message: string }).message, requestId, {
        'WWW-Authenticate': WWW_AUTHENTICATE,
      });
    } else {
      try {
        res = await this.route(req, principal);
      } catch (e) {
        if (e instanceof GraphFailure) res = errorResponse(e.status, e.code, e.message, requestId, e.headers);
        else {
          res = errorResponse(500, 'generalException', 'An internal error occurred in the local tenant.', requestId);
          console.error('fake-tenant: unexpected error', e instanceof Error ? e.stack : e);
        }
      }
      res.headers = {
        'request-id': requestId,
        'client-request-id': req.headers['client-request-id'] ?? requestId,
        ...res.headers,
      };
    }
    logRequest(this.ctx.log, req, principal, res.status);
    return res;
  }

  private async route(req: GraphRequest, principal: Principal): Promise<HttpReply> {
    const segs = req.path
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
    const version = segs.shift();
    if (version !== 'v1.0' && version !== 'beta') throw fail.segment(version ?? '');
    const [head, ...rest] = segs;
    const base = `${req.origin}/${version}`;
    const call: Call = { req, principal, tenant: this.ctx.tenant(), settings: this.ctx.settings(), base };
    switch (head) {
      case '$batch':
        return batch(req, rest, version, (step) => this.handle(step));
      case 'groups':
        return groups(call, rest);
      case 'auditLogs':
        return auditLogs(call, rest);
      case 'organization':
        return organization(call, rest);
      case 'me':
        return me(call, rest);
      case 'users':
        return users(call, rest);
      default:
        throw fail.segment(head ?? '');
    }
  }
}
