import assert from 'node:assert/strict';
import { GROUP, LOCAL_BOT_APP_ID, USER } from '../../src/fake-tenant/seed';
import { cardOf, cardText } from '../support/connector';
import { admin, graphAs } from '../support/fake-tenant';
import { people, requestCard as requestApproval, startStack, type Stack } from '../support/stack';

const requestCard = (s: Stack) => requestApproval(s, undefined, undefined, { ackSyncVersions: 'true' });

describe('bot: Graph and sign-in failures become clear, actionable messages', () => {
  let s: Stack;
  afterEach(async () => {
    await s?.stop();
  });

  it('MFA required by Conditional Access: the approver is told to sign in again; nothing changes', async () => {
    s = await startStack();
    const { msg, data } = await requestCard(s);
    const r = await s.channel.click(people.isaiah, msg.id, 'approve', data);
    assert.match(r.message ?? '', /sign in again.*multi-factor authentication \(AADSTS50076\)/i);
    // Entra ID's code, not its raw answer (trace ids, the claims challenge) or a token.
    assert.doesNotMatch(r.message ?? '', /eyJ|Trace ID|capolids/);
    assert.equal((await s.bot.service.get(String(data.requestId)))!.state, 'awaiting_approval');
  });

  it('missing consent: says what to consent to', async () => {
    s = await startStack();
    const { msg, data } = await requestCard(s);
    await admin(s.tenant, 'PATCH', `/_fake/apps/${LOCAL_BOT_APP_ID}`, { delegatedScopes: [] });
    const r = await s.channel.click(people.megan, msg.id, 'approve', data);
    assert.match(r.message ?? '', /consent/i);
    assert.match(r.message ?? '', /Group-OnPremisesSyncBehavior\.ReadWrite\.All/);
  });

  it("the group changed since approval: re-checked with the approver's token before writing, no PATCH", async () => {
    s = await startStack();
    const { msg, data } = await requestCard(s);
    const alex = await graphAs(s.tenant, USER.alex);
    await alex.api(`/groups/${GROUP.secGroup2}/onPremisesSyncBehavior`).patch({ isCloudManaged: true });
    await s.channel.click(people.megan, msg.id, 'approve', data);
    const failed = await s.channel.waitFor((o) =>
      /failed: The group changed since the request/.test(o.activity.text ?? ''),
    );
    assert.match(failed.activity.text, /Nothing was changed/);
    const patches = await s.graphRequests((e) => e.method === 'PATCH' && e.userId === people.megan.aadObjectId);
    assert.equal(patches.length, 0);
    assert.equal((await s.bot.service.get(String(data.requestId)))!.state, 'failed');
  });

  it('throttled PATCH is retried (Retry-After honoured) and the switch completes once', async () => {
    s = await startStack();
    const { msg, data } = await requestCard(s);
    await admin(s.tenant, 'POST', '/_fake/faults', {
      match: `/groups/${GROUP.secGroup2}/onPremisesSyncBehavior$`,
      method: 'PATCH',
      status: 429,
      retryAfter: 1,
      count: 1,
    });
    await s.channel.click(people.megan, msg.id, 'approve', data);
    await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''), 15_000);
    const patches = await s.graphRequests(
      (e) => e.method === 'PATCH' && e.path.endsWith(`/groups/${GROUP.secGroup2}/onPremisesSyncBehavior`),
    );
    assert.deepEqual(
      patches.map((p) => p.status),
      [429, 204],
    );
  });

  it('a 403 from Graph at the write: the request fails with the reason, no raw error body', async () => {
    s = await startStack();
    const { msg, data } = await requestCard(s);
    await admin(s.tenant, 'POST', '/_fake/faults', {
      match: `/groups/${GROUP.secGroup2}/onPremisesSyncBehavior$`,
      method: 'PATCH',
      status: 403,
      count: 1,
    });
    await s.channel.click(people.megan, msg.id, 'approve', data);
    const failed = await s.channel.waitFor((o) => /failed:/.test(o.activity.text ?? ''));
    assert.match(failed.activity.text, /Hybrid Identity Administrator/);
    assert.doesNotMatch(failed.activity.text, /\{"error"/);
  });

  it('audit entry not visible in time: the verified change completes, and the thread says where to look', async () => {
    s = await startStack({ AUDIT_POLL_TIMEOUT_MIN: '0.002' });
    await admin(s.tenant, 'PUT', '/_fake/settings', { auditDelayMs: 600_000 });
    const { msg, data } = await requestCard(s);
    await s.channel.click(people.megan, msg.id, 'approve', data);
    const line = await s.channel.waitFor((o) => /did not appear in time/.test(o.activity.text ?? ''));
    assert.match(line.activity.text, /now cloud-managed/);
    assert.equal((await s.bot.service.get(String(data.requestId)))!.state, 'completed');
  });

  it('Graph unavailable while reading facts: an error card, nothing requested', async () => {
    s = await startStack();
    await admin(s.tenant, 'POST', '/_fake/faults', { match: '/\\$batch$', status: 503, retryAfter: 0, count: 10 });
    const since = s.channel.outbound.length;
    await s.channel.say(people.alex, 'move SecGroup2 to cloud');
    const r = await s.channel.waitFor(() => true, 15_000, since);
    assert.match(cardText(cardOf(r)), /temporarily unavailable/);
    assert.equal((await s.bot.service.mine(people.alex.aadObjectId)).length, 0);
  });
});
