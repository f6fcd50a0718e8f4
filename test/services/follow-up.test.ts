/** Use cases: after the switch (audit look, sync take-over, post-switch watch), reminders, restart. */
import assert from 'node:assert/strict';
import type { SoaRequest } from '../../src/domain/request';
import type { ManualClock } from '../support/manual-clock';
import { time } from '../../src/views/labels';
import { anchor, approved, G, jobs, people, requested, world, type World } from './fixture';

const MIN = 60_000;

describe('use cases: follow-up', () => {
  let w: World;
  let clock: ManualClock;
  beforeEach(() => {
    w = world();
    clock = w.clock as ManualClock;
  });

  const stored = async (id: string) => (await w.store.get(id))!;

  /** A switched request (move, or rollback of a cloud-managed group) waiting for its audit entry. */
  async function switched(action: 'move' | 'rollback' = 'move'): Promise<SoaRequest> {
    if (action === 'rollback') {
      const g = w.directory.groups.get(G.payroll)!;
      g.isCloudManaged = true;
      g.onPremisesSyncEnabled = null;
    }
    const req = await approved(w, await requested(w, G.payroll, action));
    await w.service.execute(req.id);
    w.queue.clear();
    return stored(req.id);
  }

  it('the audit entry found: the move completes, and the watch of the next sync cycles is queued', async () => {
    const req = await switched();
    clock.advance(2000);
    await w.service.pollAudit(req.id, 0);
    const done = await stored(req.id);
    assert.equal(done.state, 'completed');
    assert.equal(done.audit?.initiatedBy, 'Megan Bowen');
    assert.deepEqual(jobs(w), [`watch:${req.id}@30000`]);
  });

  it('the audit entry not visible: looked for again with backoff, then completed with a note', async () => {
    w.directory.auditDelayMs = Infinity;
    const req = await switched();
    await w.service.pollAudit(req.id, 0);
    await w.service.pollAudit(req.id, 5);
    assert.deepEqual(jobs(w), [`audit:${req.id}@4000`, `audit:${req.id}@60000`]);
    assert.equal((await stored(req.id)).state, 'awaiting_audit');
    clock.advance(15 * MIN);
    await w.service.pollAudit(req.id, 6);
    const done = await stored(req.id);
    assert.equal(done.state, 'completed');
    assert.equal(
      done.history.at(-1)!.note,
      'The change was verified, but its audit entry was not visible within 15 min.',
    );
  });

  it('a rollback waits for the sync cycle to take the group over', async () => {
    const req = await switched('rollback');
    await w.service.pollAudit(req.id, 0);
    assert.equal((await stored(req.id)).state, 'waiting_for_sync');
    assert.deepEqual(jobs(w), [`takeover:${req.id}@30000`]);
    w.queue.clear();
    clock.advance(30_000);
    await w.service.pollTakeover(req.id, 0);
    assert.deepEqual(jobs(w), [`takeover:${req.id}@30000`], 'not yet: looked at again');
    clock.advance(30_000);
    const at = w.directory.syncCycle();
    await w.service.pollTakeover(req.id, 1);
    const done = await stored(req.id);
    assert.deepEqual([done.state, done.takenOverAt], ['taken_over', at]);
  });

  it('a take-over not seen in time is said in the thread, once', async () => {
    const req = await switched('rollback');
    await w.service.pollAudit(req.id, 0);
    w.queue.clear();
    clock.advance(180 * MIN);
    await w.service.pollTakeover(req.id, 9);
    assert.deepEqual(jobs(w), []);
    assert.equal(
      w.notifier.texts().at(-1),
      `Request ${req.id}: the sync cycle has not taken **FIN-Payroll** over yet. Check that the AD group is still ` +
        `in sync scope; \`status ${req.id}\` shows it, and the bot looks again at its next start.`,
    );
    assert.ok(w.logger.warn.calledWith('sync take-over not seen in time', { requestId: req.id }));
  });

  it('the take-over notice shows a hostile group name as text: no link, no HTML', async () => {
    w.directory.groups.get(G.payroll)!.displayName = '[Approve here](https://evil.example) <b>x</b>';
    const req = await switched('rollback');
    await w.service.pollAudit(req.id, 0);
    clock.advance(180 * MIN);
    await w.service.pollTakeover(req.id, 9);
    const text = w.notifier.texts().at(-1)!;
    assert.match(text, /has not taken \*\*\[Approve here\]/);
    assert.doesNotMatch(text, /\]\(|<b>/);
  });

  it('after a move, the next two sync cycles are watched: skipped AD edits, then drift', async () => {
    const req = await switched();
    await w.service.pollAudit(req.id, 0);
    w.queue.clear();
    clock.advance(MIN);
    w.directory.skipped.edits.push({ groupId: G.payroll, at: clock.now().toISOString(), changes: ['member added'] });
    clock.advance(MIN);
    w.directory.syncCycle();
    await w.service.watch(req.id, 0);
    assert.match(
      w.notifier.texts().at(-1)!,
      /stayed cloud-managed.*skipped and are not in the cloud: FIN-Payroll \(member added\)/,
    );
    assert.deepEqual(jobs(w), [`watch:${req.id}@30000`]);
    w.queue.clear();

    clock.advance(30_000);
    await w.service.watch(req.id, 1);
    assert.deepEqual(jobs(w), [`watch:${req.id}@30000`], 'no cycle yet: wait for it');
    w.queue.clear();
    w.directory.groups.get(G.payroll)!.onPremisesSyncEnabled = true;
    clock.advance(30_000);
    w.directory.syncCycle();
    await w.service.watch(req.id, 1);
    assert.match(w.notifier.texts().at(-1)!, /Drift after the sync cycle at .*: FIN-Payroll is synced from AD again/);
    assert.deepEqual((await stored(req.id)).watch?.cycles, 2);
    assert.deepEqual(jobs(w), [], 'two cycles watched');
  });

  it('a cycle with no provisioning log entry says what was seen and what Graph cannot show', async () => {
    const req = await switched();
    await w.service.pollAudit(req.id, 0);
    w.queue.clear();
    clock.advance(MIN);
    const first = w.directory.syncCycle();
    await w.service.watch(req.id, 0);
    // Connect Sync writes nothing to the provisioning log: no entry is not "nothing skipped".
    assert.equal(
      w.notifier.texts().at(-1),
      `Request ${req.id}: 🔍 Sync cycle at ${time(first)}: **FIN-Payroll** stayed cloud-managed; the sync ` +
        'client skipped it. The provisioning log has no entry since the switch for **FIN-Payroll**: if Cloud ' +
        'Sync syncs it, no AD-side edit was skipped. Connect Sync records skipped edits only as event 6956 on ' +
        'the sync server, which Graph does not show.',
    );
    assert.doesNotMatch(w.notifier.texts().at(-1)!, /No AD-side edits were skipped/);

    // The next cycle: the provisioning log cannot be read at all.
    w.directory.skipped.visible = false;
    clock.advance(30_000);
    const second = w.directory.syncCycle();
    await w.service.watch(req.id, 1);
    assert.equal(
      w.notifier.texts().at(-1),
      `Request ${req.id}: 🔍 Sync cycle at ${time(second)}: **FIN-Payroll** stayed cloud-managed; the sync ` +
        'client skipped it. The provisioning log could not be read, so no skipped AD-side edit was seen: ' +
        'Cloud Sync records them there, Connect Sync only as event 6956 on the sync server.',
    );
  });

  it('a plan: skipped edits listed, groups with other entries counted, groups without entries named', async () => {
    const p = await w.service.submitPlan({ kind: 'tree', rootId: G.sales }, people.alex, anchor);
    const req = await approved(w, p.request!);
    await w.service.execute(req.id);
    await w.service.pollAudit(req.id, 0);
    assert.equal((await stored(req.id)).state, 'completed');
    w.queue.clear();
    clock.advance(MIN);
    const at = clock.now().toISOString();
    w.directory.skipped.edits.push({ groupId: G.eu, at, changes: ['description'] });
    w.directory.skipped.others.push({ groupId: G.us, at });
    clock.advance(MIN);
    const first = w.directory.syncCycle();
    await w.service.watch(req.id, 0);
    assert.equal(
      w.notifier.texts().at(-1),
      `Request ${req.id}: 🔍 Sync cycle at ${time(first)}: the 4 groups of plan ${req.id} stayed ` +
        'cloud-managed; the sync client skipped them. AD-side changes were skipped and are not in the cloud: ' +
        'Sales-EU (description). Make them in the cloud if they are still wanted. The provisioning log has no ' +
        'entry since the switch for Sales-DACH, Sales: if Cloud Sync syncs them, no AD-side edit was skipped. ' +
        'Connect Sync records skipped edits only as event 6956 on the sync server, which Graph does not show.',
    );
    w.queue.clear();
    // The next cycle: only Sales-US has an entry (not a skip) since the first cycle.
    clock.advance(MIN);
    w.directory.skipped.others.push({ groupId: G.us, at: clock.now().toISOString() });
    clock.advance(MIN);
    const second = w.directory.syncCycle();
    await w.service.watch(req.id, 1);
    assert.match(
      w.notifier.texts().at(-1)!,
      new RegExp(
        String.raw`The provisioning log has entries since the sync cycle at ${time(first)} for 1 of the ` +
          String.raw`groups, none of them a skipped AD-side edit\. The provisioning log has no entry since the ` +
          String.raw`sync cycle at ${time(first)} for Sales-DACH, Sales-EU, Sales: if Cloud Sync syncs them`,
      ),
    );
    assert.match(w.notifier.texts().at(-1)!, new RegExp(`Sync cycle at ${time(second)}`));
  });

  it('no sync cycle in time after a move: the watch stops and says so', async () => {
    const req = await switched();
    await w.service.pollAudit(req.id, 0);
    w.queue.clear();
    clock.advance(180 * MIN);
    await w.service.watch(req.id, 0);
    assert.equal(
      w.notifier.texts().at(-1),
      `Request ${req.id}: no directory sync cycle ran within 180 min of the switch, so I stopped watching. ` +
        "Check the sync client's schedule.",
    );
    assert.deepEqual(jobs(w), []);
  });

  it('a request waiting for a decision is reminded once, and not after it expired', async () => {
    const req = await requested(w);
    const other = await requested(w, G.sales);
    clock.advance(24 * 3_600_000);
    await w.service.remind(req.id);
    await w.service.remind(req.id);
    const reminders = w.notifier.texts().filter((t) => t.startsWith('⏰ Reminder'));
    assert.equal(reminders.length, 1);
    assert.match(
      reminders[0]!,
      new RegExp(`^⏰ Reminder: request ${req.id} \\(move to cloud of \\*\\*FIN-Payroll\\*\\*`),
    );
    clock.advance(48 * 3_600_000);
    await w.service.remind(other.id);
    assert.equal(w.notifier.texts().filter((t) => t.startsWith('⏰ Reminder')).length, 1);
  });

  it('on start, every unfinished request gets its job back', async () => {
    const waiting = await requested(w, G.dach);
    const audit = await switched();
    const go = await approved(w, await requested(w, G.us));
    w.queue.clear();
    clock.advance(3_600_000);
    assert.equal(await w.service.resume(), 2);
    assert.deepEqual(jobs(w).sort(), [
      `audit:${audit.id}@0`,
      `execute:${go.id}@0`,
      `expire:${waiting.id}@${71 * 3_600_000}`,
    ]);
  });
});
