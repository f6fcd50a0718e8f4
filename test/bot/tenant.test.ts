import assert from 'node:assert/strict';
import { GROUP } from '../../src/fake-tenant/seed';
import { people, requestCard, startStack, type Stack } from '../support/stack';

const OTHER = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';

/** Activities from a tenant that is not the organisation's own are answered with a refusal only. */
describe('bot: tenant allow-list', () => {
  let s: Stack;
  before(async () => {
    s = await startStack();
  });
  after(async () => {
    await s.stop();
  });

  /** The activity TestChannel would send, re-addressed to another tenant. */
  async function fromOtherTenant(
    activity: Record<string, unknown>,
  ): Promise<{ status: number; body: { type?: string; value: string } }> {
    const res = await fetch(`${s.bot.http.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  const base = (kind: string, extra: Record<string, unknown>) => ({
    channelId: 'msteams',
    serviceUrl: s.channel.url,
    from: { id: `29:${people.megan.aadObjectId}`, name: 'Megan Bowen', aadObjectId: people.megan.aadObjectId },
    recipient: { id: '28:soa-bot', name: 'SOA Bot' },
    conversation: { id: 'a:personal-elsewhere', conversationType: 'personal', tenantId: OTHER },
    channelData: { tenant: { id: OTHER } },
    type: kind,
    id: `x-${Math.random().toString(36).slice(2)}`,
    ...extra,
  });

  it('a message from another tenant is refused and creates nothing', async () => {
    const since = s.channel.outbound.length;
    const r = await fromOtherTenant(base('message', { text: 'move SecGroup2 to cloud' }));
    assert.equal(r.status, 200);
    const reply = await s.channel.waitFor(() => true, 10_000, since);
    assert.equal(reply.activity.text, 'This bot serves its own organisation only; your tenant is not on its list.');
    assert.equal((await s.bot.service.forGroup(GROUP.secGroup2)).length, 0);
  });

  it('a card click from another tenant is refused, even with a real request id and version', async () => {
    const { msg, data } = await requestCard(s);
    const r = await fromOtherTenant(
      base('invoke', {
        name: 'adaptiveCard/action',
        replyToId: msg.id,
        value: {
          action: { type: 'Action.Execute', verb: 'approve', data: { ...data, ackSyncVersions: 'true' } },
          trigger: 'manual',
        },
      }),
    );
    assert.equal(r.status, 200);
    assert.equal(r.body.type, 'application/vnd.microsoft.activity.message');
    assert.match(r.body.value, /your tenant is not on its list/);
    assert.equal((await s.bot.service.get(String(data.requestId)))!.state, 'awaiting_approval');
  });
});
