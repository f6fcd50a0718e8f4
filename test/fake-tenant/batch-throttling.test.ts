import { defaultSeed } from '../../src/fake-tenant/seed';
import assert from 'node:assert/strict';
import {
  BatchRequestContent,
  BatchResponseContent,
  RetryHandlerOptions,
  type Client,
} from '@microsoft/microsoft-graph-client';
import type { FakeTenant } from '../../src/fake-tenant/server';
import type { RequestLogEntry } from '../../src/fake-tenant/graph/request-log';
import { GROUP, USER } from '../../src/fake-tenant/seed';
import { admin, graphAs, rejection, startTestTenant, withBroadConsent } from '../support/fake-tenant';

const groupPath = (id: string) => `/v1.0/groups/${id}`;

describe('fake tenant: $batch, throttling and faults', () => {
  let ft: FakeTenant;
  let alex: Client;
  before(async () => {
    ft = await startTestTenant({ seed: withBroadConsent(defaultSeed()) });
  });
  after(async () => {
    await ft.close();
  });
  beforeEach(async () => {
    await admin(ft, 'POST', '/_fake/reset', withBroadConsent(defaultSeed()));
    alex = await graphAs(ft, USER.alex);
  });

  it('runs up to 20 requests in one round trip, each with its own status, logged one by one', async () => {
    const ids = [GROUP.secGroup1, GROUP.secGroup2, GROUP.soaGroup3];
    const batch = new BatchRequestContent([
      ...ids.map((id, i) => ({
        id: String(i + 1),
        request: new Request(`${ft.url}/v1.0/groups/${id}/onPremisesSyncBehavior`, { method: 'GET' }),
      })),
      {
        id: '4',
        request: new Request(`${ft.url}/v1.0/groups/99999999-9999-4999-8999-999999999999`, { method: 'GET' }),
      },
    ]);
    await admin(ft, 'DELETE', '/_fake/requests');
    const raw = await alex.api('/$batch').post(await batch.getContent());
    const res = new BatchResponseContent(raw);
    assert.equal((await res.getResponseById('1').json()).isCloudManaged, false);
    assert.equal((await res.getResponseById('3').json()).isCloudManaged, true);
    assert.equal(res.getResponseById('4').status, 404);
    const log = (await admin<RequestLogEntry[]>(ft, 'GET', '/_fake/requests')).body;
    assert.equal(log.filter((e) => !e.batch).length, 1, 'one round trip');
    const inner = log.filter((e) => e.batch);
    assert.equal(inner.length, 4);
    assert.ok(inner.every((e) => e.batch === inner[0]!.batch && e.userId === USER.alex));
    assert.deepEqual(inner.map((e) => e.batchRequestId).sort(), ['1', '2', '3', '4']);
  });

  it('dependsOn runs in order and answers 424 when the dependency failed', async () => {
    const raw = await alex.api('/$batch').post({
      requests: [
        { id: 'a', method: 'GET', url: '/groups/99999999-9999-4999-8999-999999999999' },
        {
          id: 'b',
          method: 'PATCH',
          url: `/groups/${GROUP.secGroup2}/onPremisesSyncBehavior`,
          headers: { 'Content-Type': 'application/json' },
          body: { isCloudManaged: true },
          dependsOn: ['a'],
        },
        { id: 'c', method: 'GET', url: `/groups/${GROUP.secGroup1}?$select=id,displayName` },
        { id: 'd', method: 'GET', url: `/groups/${GROUP.secGroup1}/onPremisesSyncBehavior`, dependsOn: ['c'] },
      ],
    });
    const byId = Object.fromEntries(raw.responses.map((r: { id: string }) => [r.id, r]));
    assert.equal(byId.a.status, 404);
    assert.equal(byId.b.status, 424);
    assert.equal(byId.c.status, 200);
    assert.deepEqual(
      Object.keys(byId.c.body)
        .filter((k) => !k.startsWith('@'))
        .sort(),
      ['displayName', 'id'],
    );
    assert.equal(byId.d.status, 200);
    assert.equal(ft.tenant.groups.get(GROUP.secGroup2)!.isCloudManaged, false, 'the dependent write did not run');
  });

  it('refuses a batch over 20, duplicate ids, bad dependsOn and a body without Content-Type', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/organization' }));
    const over = await rejection(() => alex.api('/$batch').post({ requests: many }));
    assert.equal(over.statusCode, 400);
    assert.match(over.message, /maximum of 20/);
    assert.match(
      (
        await rejection(() =>
          alex.api('/$batch').post({
            requests: [
              { id: '1', method: 'GET', url: '/me' },
              { id: '1', method: 'GET', url: '/me' },
            ],
          }),
        )
      ).message,
      /duplicate/,
    );
    assert.match(
      (
        await rejection(() =>
          alex.api('/$batch').post({ requests: [{ id: '1', method: 'GET', url: '/me', dependsOn: ['9'] }] }),
        )
      ).message,
      /depends on/,
    );
    assert.match(
      (
        await rejection(() =>
          alex.api('/$batch').post({ requests: [{ id: '1', method: 'PATCH', url: '/groups/x', body: {} }] }),
        )
      ).message,
      /Content-Type/,
    );
    assert.equal((await rejection(() => alex.api('/$batch').post({ nope: true }))).statusCode, 400);
  });

  it('a 429 inside a batch comes back per request with its Retry-After, not retried by the SDK', async () => {
    await admin(ft, 'POST', '/_fake/faults', {
      match: `${GROUP.secGroup2}/onPremisesSyncBehavior$`,
      status: 429,
      retryAfter: 7,
      count: 1,
    });
    const raw = await alex.api('/$batch').post({
      requests: [
        { id: '1', method: 'GET', url: `/groups/${GROUP.secGroup1}/onPremisesSyncBehavior` },
        { id: '2', method: 'GET', url: `/groups/${GROUP.secGroup2}/onPremisesSyncBehavior` },
      ],
    });
    const two = raw.responses.find((r: { id: string }) => r.id === '2');
    assert.equal(two.status, 429);
    assert.equal(two.headers['Retry-After'], '7');
    assert.equal(two.body.error.code, 'TooManyRequests');
    assert.equal(raw.responses.find((r: { id: string }) => r.id === '1').status, 200);
  });

  it("429 with Retry-After and 503 are retried by the Graph client's RetryHandler and then succeed", async () => {
    await admin(ft, 'POST', '/_fake/faults', {
      match: `^${groupPath(GROUP.secGroup1)}$`,
      method: 'GET',
      status: 429,
      retryAfter: 1,
      count: 1,
    });
    await admin(ft, 'POST', '/_fake/faults', {
      match: `^${groupPath(GROUP.secGroup1)}$`,
      method: 'GET',
      status: 503,
      retryAfter: 0,
      count: 1,
    });
    await admin(ft, 'DELETE', '/_fake/requests');
    const started = Date.now();
    const g = await alex.api(`/groups/${GROUP.secGroup1}`).get();
    const elapsed = Date.now() - started;
    assert.equal(g.id, GROUP.secGroup1);
    const log = (await admin<RequestLogEntry[]>(ft, 'GET', '/_fake/requests')).body.filter(
      (e) => e.path === groupPath(GROUP.secGroup1),
    );
    assert.deepEqual(
      log.map((e) => e.status),
      [429, 503, 200],
    );
    assert.ok(elapsed >= 1000, `Retry-After of 1 s was honoured (waited ${elapsed} ms)`);
  });

  it('gives up after the configured retries and reports the throttling as a typed Graph error', async () => {
    await admin(ft, 'POST', '/_fake/faults', { match: '/organization$', status: 429, retryAfter: 0, count: 10 });
    const err = await rejection(() =>
      alex
        .api('/organization')
        .middlewareOptions([new RetryHandlerOptions(0, 1)])
        .get(),
    );
    assert.equal(err.statusCode, 429);
    assert.equal(err.code, 'TooManyRequests');
  });

  it("slow responses: a fault delay lets a caller's timeout fire", async () => {
    await admin(ft, 'POST', '/_fake/faults', { match: '/me$', delayMs: 3000, count: 1 });
    const err = await rejection(() => alex.api('/me').option('signal', AbortSignal.timeout(200)).get());
    assert.match(`${err.name} ${err.message}`, /abort|timeout/i);
  });

  it('per-request latency applies to every round trip', async () => {
    const put = await admin(ft, 'PUT', '/_fake/settings', { latencyMs: 2000 });
    assert.equal(put.status, 200);
    try {
      const err = await rejection(() => alex.api('/organization').option('signal', AbortSignal.timeout(100)).get());
      assert.match(`${err.name} ${err.message}`, /abort|timeout/i);
    } finally {
      await admin(ft, 'PUT', '/_fake/settings', { latencyMs: 0 });
    }
  });
});
