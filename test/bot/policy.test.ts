import assert from 'node:assert/strict';
import { GROUP } from '../../src/fake-tenant/seed';
import { cardOf, cardText } from '../support/connector';
import { admin } from '../support/fake-tenant';
import { people, requestCard, soaPatches, startStack, type Stack } from '../support/stack';

const patches = (s: Stack, id: string = GROUP.secGroup2) => soaPatches(s, id);

describe('bot: approval policy (the server decides, not the card)', () => {
  let s: Stack;
  afterEach(async () => {
    await s?.stop();
  });

  it('refuses self-approval by default, and the card is left as it was', async () => {
    s = await startStack();
    const { msg, data } = await requestCard(s);
    const r = await s.channel.click(people.alex, msg.id, 'approve', { ...data, ackSyncVersions: 'true' });
    assert.match(r.message ?? '', /someone else must approve/);
    assert.equal((await patches(s)).length, 0);
    assert.equal((await s.bot.service.get(String(data.requestId)))!.state, 'awaiting_approval');
  });

  it('allows self-approval when ALLOW_SELF_APPROVAL is on, and says so plainly', async () => {
    s = await startStack({ ALLOW_SELF_APPROVAL: 'true' });
    const { msg, data } = await requestCard(s);
    const r = await s.channel.click(people.alex, msg.id, 'approve', { ...data, ackSyncVersions: 'true' });
    assert.match(cardText(r.card), /self-approved: ALLOW_SELF_APPROVAL is on/);
    const done = await s.channel.waitFor((o) => o.kind === 'update' && /Completed/.test(cardText(cardOf(o))));
    assert.match(cardText(cardOf(done)), /self-approved under ALLOW_SELF_APPROVAL/);
  });

  it('refuses a user without an approver role, and one whose role was removed after the request', async () => {
    s = await startStack();
    const { msg, data } = await requestCard(s);
    const lee = await s.channel.click(people.lee, msg.id, 'approve', { ...data, ackSyncVersions: 'true' });
    assert.match(lee.message ?? '', /directory roles/);
    assert.equal(
      (await admin(s.tenant, 'PATCH', `/_fake/users/${people.megan.aadObjectId}`, { roles: [] })).status,
      200,
    );
    const megan = await s.channel.click(people.megan, msg.id, 'approve', { ...data, ackSyncVersions: 'true' });
    assert.match(megan.message ?? '', /directory roles/);
    // Adele is a Groups Administrator: allowed by the fake tenant's Graph, but not an approver by default.
    const adele = await s.channel.click(people.adele, msg.id, 'approve', { ...data, ackSyncVersions: 'true' });
    assert.match(adele.message ?? '', /directory roles/);
    assert.equal((await patches(s)).length, 0);
  });

  it('needs the sync-version acknowledgement ticked', async () => {
    s = await startStack();
    const { msg, data } = await requestCard(s);
    const r = await s.channel.click(people.megan, msg.id, 'approve', { ...data, ackSyncVersions: 'false' });
    assert.match(r.message ?? '', /Confirm the sync client versions/);
    assert.equal((await patches(s)).length, 0);
  });

  it('refuses an expired request and marks it expired', async () => {
    s = await startStack({ REQUEST_TTL_HOURS: '1' });
    const { msg, data } = await requestCard(s);
    s.clock.offsetMs = 2 * 3_600_000;
    const r = await s.channel.click(people.megan, msg.id, 'approve', { ...data, ackSyncVersions: 'true' });
    assert.match(cardText(r.card), /Expired/);
    assert.equal((await s.bot.service.get(String(data.requestId)))!.state, 'expired');
    await s.channel.waitFor((o) => /expired without a decision/.test(o.activity.text ?? ''));
    assert.equal((await patches(s)).length, 0);
  });

  it('the expiry sweep expires requests nobody clicked', async () => {
    s = await startStack({ REQUEST_TTL_HOURS: '1' });
    const { data } = await requestCard(s);
    s.clock.offsetMs = 2 * 3_600_000;
    assert.equal(await s.bot.service.expireDue(), 1);
    assert.equal((await s.bot.service.get(String(data.requestId)))!.state, 'expired');
  });

  it('a double click and two approvers at once cause exactly one PATCH', async () => {
    // Megan (Hybrid Identity Administrator) and Adele (Groups Administrator) may both approve here.
    s = await startStack({ APPROVER_ROLES: 'Hybrid Identity Administrator,Groups Administrator' });
    const { msg, data } = await requestCard(s);
    const clicks = await Promise.all([
      s.channel.click(people.megan, msg.id, 'approve', { ...data, ackSyncVersions: 'true' }),
      s.channel.click(people.megan, msg.id, 'approve', { ...data, ackSyncVersions: 'true' }),
      s.channel.click(people.adele, msg.id, 'approve', { ...data, ackSyncVersions: 'true' }),
      s.channel.click(people.adele, msg.id, 'approve', { ...data, ackSyncVersions: 'true' }),
    ]);
    const winners = clicks.filter(
      (c) => c.card && /Approved by/.test(cardText(c.card)) && !/out of date|Someone else/.test(c.message ?? ''),
    );
    assert.ok(winners.length >= 1);
    assert.ok(clicks.every((c) => c.status === 200));
    await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''));
    await s.bot.service.idle();
    assert.equal((await patches(s)).length, 1, 'exactly one switch');
    const req = (await s.bot.service.get(String(data.requestId)))!;
    assert.equal(req.state, 'completed');
    assert.equal(req.history.filter((h) => h.state === 'approved').length, 1);
  });

  it('a stale card (old version) does not act; it shows the current state', async () => {
    s = await startStack();
    const { msg, data } = await requestCard(s);
    const r = await s.channel.click(people.megan, msg.id, 'approve', {
      ...data,
      version: Number(data.version) + 5,
      ackSyncVersions: 'true',
    });
    assert.match(cardText(r.card), /waiting for approval/);
    assert.equal((await patches(s)).length, 0);
  });

  it('reject needs a reason and a standing approver; then the request is closed', async () => {
    s = await startStack();
    const { msg, data } = await requestCard(s);
    assert.match(
      (await s.channel.click(people.megan, msg.id, 'reject', { ...data, rejectReason: ' ' })).message ?? '',
      /reason/,
    );
    assert.match(
      (await s.channel.click(people.lee, msg.id, 'reject', { ...data, rejectReason: 'no thanks' })).message ?? '',
      /directory roles/,
    );
    const r = await s.channel.click(people.megan, msg.id, 'reject', {
      ...data,
      rejectReason: 'Wait for the app owners to sign off',
    });
    assert.match(cardText(r.card), /Rejected by Megan Bowen: Wait for the app owners/);
    await s.channel.waitFor((o) => /was rejected by Megan Bowen/.test(o.activity.text ?? ''));
    const late = await s.channel.click(people.megan, msg.id, 'approve', { ...data, ackSyncVersions: 'true' });
    assert.match(cardText(late.card), /Rejected/);
    assert.equal((await patches(s)).length, 0);
  });

  it('an approver group, when configured, is required as well as the role', async () => {
    s = await startStack({ APPROVER_GROUP_ID: GROUP.cloudOnlyEngineering });
    const { msg, data } = await requestCard(s);
    const r = await s.channel.click(people.megan, msg.id, 'approve', { ...data, ackSyncVersions: 'true' });
    assert.match(r.message ?? '', /approvers group/);
  });
});

describe('bot: reminders, expiry and redelivery from the work queue', () => {
  let s: Stack;
  afterEach(async () => {
    await s?.stop();
  });

  it('reminds approvers once in the thread, then expires the request and tells the requester', async () => {
    s = await startStack({ REMIND_AFTER_HOURS: '0.0002', REQUEST_TTL_HOURS: '0.001' });
    const { data } = await requestCard(s);
    const reminder = await s.channel.waitFor((o) => /Reminder: request/.test(o.activity.text ?? ''));
    assert.match(reminder.activity.text, /still waits for a decision/);
    const expired = await s.channel.waitFor((o) =>
      /expired without a decision\. Alex Wilber, ask again/.test(o.activity.text ?? ''),
    );
    assert.ok(expired);
    assert.equal((await s.bot.service.get(String(data.requestId)))!.state, 'expired');
    assert.equal(s.channel.outbound.filter((o) => /Reminder: request/.test(o.activity.text ?? '')).length, 1);
  });

  it('the same message delivered twice creates one request', async () => {
    s = await startStack();
    const a = await s.channel.say(people.alex, 'move SecGroup2 to cloud', { id: 'redelivered-1' });
    const b = await s.channel.say(people.alex, 'move SecGroup2 to cloud', { id: 'redelivered-1' });
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    const mine = await s.bot.service.mine(people.alex.aadObjectId);
    assert.equal(mine.length, 1);
    assert.equal(
      s.channel.outbound.filter((o) => /already has an open request/.test(o.activity.text ?? '')).length,
      0,
      'the second delivery was not handled at all',
    );
  });
});
