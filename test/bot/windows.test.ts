/**
 * Change windows through the whole bot: CHANGE_WINDOWS and CHANGE_TIMEZONE from the
 * configuration, an approval outside every window that waits (the thread and the card say until
 * when), and the switch with the approver's token once the window has opened.
 */
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { GROUP } from '../../src/fake-tenant/seed';
import { cardText } from '../support/connector';
import { people, requestCard, soaPatches, startStack, type Stack } from '../support/stack';

/** A two-hour window in Europe/Berlin opening about an hour from now, as CHANGE_WINDOWS writes it. */
function windowSoon(): { text: string; opensAt: number } {
  const opens = DateTime.now().setZone('Europe/Berlin').setLocale('en-GB').plus({ minutes: 61 }).startOf('minute');
  const closes = opens.plus({ hours: 2 });
  return {
    text: `${opens.toFormat('ccc HH:mm')}-${closes.toFormat('ccc HH:mm')}`,
    opensAt: opens.toMillis(),
  };
}

describe('bot: change windows', () => {
  let s: Stack;
  afterEach(async () => {
    await s?.stop();
  });

  it('an approval outside every window waits for it, then the switch runs with the approver token', async () => {
    const w = windowSoon();
    s = await startStack({ CHANGE_WINDOWS: w.text, CHANGE_TIMEZONE: 'Europe/Berlin' });
    const { msg, data } = await requestCard(s, 'move SecGroup2 to cloud', people.alex, { ackSyncVersions: 'true' });
    const since = s.channel.outbound.length;
    const click = await s.channel.click(people.megan, msg.id, 'approve', data);
    // In the windows' zone (CHANGE_TIMEZONE), then in UTC.
    const at = DateTime.fromMillis(w.opensAt, { zone: 'Europe/Berlin', locale: 'en-GB' });
    const when = `${at.toFormat('ccc d LLL HH:mm')} Europe/Berlin \\(${at.toUTC().toFormat('HH:mm')} UTC\\)`;
    assert.match(cardText(click.card), new RegExp(`Approved by Megan Bowen · scheduled for ${when}`));
    const line = await s.channel.waitFor(
      (o) => /outside the change windows/.test(o.activity.text ?? ''),
      10_000,
      since,
    );
    assert.match(line.activity.text, new RegExp(`when the next one opens, ${when}`));
    // An execute job now does nothing: it waits for the window.
    const id = String(data.requestId);
    assert.equal(await s.bot.service.execute(id), 'done');
    assert.equal((await s.bot.service.get(id))!.state, 'approved');
    assert.equal((await soaPatches(s, GROUP.secGroup2)).length, 0);
    // The window opens.
    s.clock.offsetMs = w.opensAt - Date.now() + 1000;
    // As the worker would: a write that raced this one (the approval's thread line, the board) is tried again.
    let out = await s.bot.service.execute(id);
    for (let i = 0; out === 'retry' && i < 5; i++) out = await s.bot.service.execute(id);
    assert.equal(out, 'done');
    // (The fake tenant's audit entries carry its own time, an hour behind this clock: not waited for here.)
    await s.channel.waitFor((o) => /Switched \*\*SecGroup2\*\* .* verified/.test(o.activity.text ?? ''), 10_000, since);
    const patches = await soaPatches(s, GROUP.secGroup2);
    assert.equal(patches.length, 1);
    assert.equal(patches[0]!.userId, people.megan.aadObjectId, "the approver's own token");
  });
});
