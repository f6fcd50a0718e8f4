/**
 * End to end in the real Microsoft 365 Agents Playground, driven in headless Chromium:
 * `npm start`'s local stack (fake tenant, bot, Playground) on free ports.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { artifacts, startPlaygroundStack, type PlaygroundPage, type PlaygroundStack } from '../support/playground';

describe('end to end: the Agents Playground in headless Chromium', function () {
  this.timeout(180_000);
  let stack: PlaygroundStack;
  let pg: PlaygroundPage;

  before(async () => {
    // Alex asks, Megan approves: no self-approval here.
    stack = await startPlaygroundStack({ ALLOW_SELF_APPROVAL: 'false' });
    // This page clicks as Megan Bowen; typed messages come from Alex Wilber.
    pg = await stack.openAs('Megan Bowen');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && pg) await stack.recordFailure(this.currentTest.title, [pg]);
  });

  after(async () => {
    await stack?.stop();
  });

  const card = (...texts: string[]) => pg.card(...texts);
  const message = (re: RegExp) => pg.message(re);
  const shootCard = (c: ReturnType<typeof card>, name: string) => pg.shootCard(c, name);
  const approve = (c: ReturnType<typeof card>) => pg.approve(c);
  const chat = (text: string) => pg.chat(text);
  const post = (text: string) => pg.post(text);

  it('group chat: the help and board cards show their placeholders, <group> and <request id>', async () => {
    await chat('help');
    const help = card('What I can do');
    await help.waitFor();
    const helpText = await help.innerText();
    for (const usage of ['move <group> to cloud', 'rollback <request id>', 'cancel <request id>', 'sign in', 'export'])
      assert.ok(helpText.includes(usage), `the help card shows ${usage}:\n${helpText}`);
    assert.match(helpText, /"status <group>" or "status <request id>"/);
    await shootCard(help, '00-help-card.png');

    await chat('board');
    const board = card('Group SOA requests in this conversation', 'No open requests here');
    await board.waitFor();
    const boardText = await board.innerText();
    assert.match(boardText, /Type "move <group> to cloud" to start one/);
    assert.match(boardText, /Type "status <request id>" for a request's timeline/);
  });

  it(
    'channel: "move SecGroup1 to cloud" → card with the nesting warning → Megan approves → audit ' +
      'confirmation in the thread',
    async () => {
      await post('move SecGroup1 to cloud');

      const request = card('Move to cloud: SecGroup1', 'Nested groups stay in AD');
      await request.waitFor();
      const folded = await request.innerText();
      assert.match(folded, /SecGroup1-Leaf → SecGroup1-Nested → SecGroup1/);
      assert.match(folded, /Prerequisites: 3 warnings · 6 pass/);
      assert.doesNotMatch(folded, /Nesting depth/, 'rows that pass are folded');
      assert.equal(folded.match(/Connect Sync 2\.5\.76\.0/g)?.length, 1, 'the acknowledgement is said once');
      await shootCard(request, '01-approval-card-folded.png');
      await pg.page.screenshot({ path: join(artifacts, '01-channel-approval-card.png'), fullPage: true });
      await request.getByRole('button', { name: 'Show all 9 checks' }).click();
      await request.getByText('Nesting depth').waitFor();
      await request.getByRole('button', { name: 'Hide the passing checks' }).click();
      await request.getByText('Nesting depth').waitFor({ state: 'hidden' });

      await approve(request);
      const confirmation = message(/Audit log:.*Change Source of Authority from AD to cloud.*initiated by Megan Bowen/);
      await confirmation.waitFor();
      await card('Move to cloud: SecGroup1', 'Completed').first().waitFor();
      await confirmation.scrollIntoViewIfNeeded();
      await pg.page.screenshot({ path: join(artifacts, '02-channel-audit-confirmed.png'), fullPage: true });
    },
  );

  it(
    'channel: the board, then a nested plan (the tree under SecGroup1-Nested) approved and run ' +
      'bottom-up; the board follows it',
    async () => {
      await post('board');
      const board = card('Group SOA requests in this conversation');
      await board.first().waitFor();

      await post('move SecGroup1-Nested and its nested groups to cloud');
      const plan = card('Move to cloud: the tree under SecGroup1-Nested', 'bottom-up');
      await plan.waitFor();
      const text = await plan.innerText();
      assert.match(text, /2 groups to switch/);
      const steps = text.slice(text.indexOf('groups to switch'));
      assert.ok(
        steps.indexOf('SecGroup1-Leaf') >= 0 && steps.indexOf('SecGroup1-Leaf') < steps.indexOf('SecGroup1-Nested'),
        'the leaf goes first',
      );
      await card('Group SOA requests in this conversation', 'the tree under SecGroup1-Nested').first().waitFor();
      await pg.page.screenshot({ path: join(artifacts, '05-channel-plan-card.png'), fullPage: true });

      await approve(plan);
      await message(
        new RegExp(
          String.raw`Plan R-\w+ \(the tree under SecGroup1-Nested\) is complete: 2 groups are ` +
            String.raw`cloud-managed; 2 of 2 confirmed in the audit log`,
        ),
      ).waitFor();
      await card('Group SOA requests in this conversation', 'Finished in the last 24 hours').first().waitFor();
      await board.first().scrollIntoViewIfNeeded();
      await pg.page.screenshot({ path: join(artifacts, '06-channel-board-after-plan.png'), fullPage: true });
    },
  );

  it('channel: SecGroup2 marked still needed in AD → approved → the GPAD checklist naming its SID', async () => {
    await post('move SecGroup2 to cloud');
    const request = card('Move to cloud: SecGroup2', 'Still needed in AD (file shares or apps');
    await request.waitFor();
    await pg.approve(request, { stillNeededInAd: true });
    // The checklist's paragraphs: who marked it, the SID it lands on, the scope to check in AD.
    await message(/Request R-\w+: marked still needed in AD by Megan Bowen/).waitFor();
    await message(/matched by its SID S-1-5-21-\d+-\d+-\d+-\d+/).waitFor();
    await message(/Its group scope in AD is Universal/).waitFor();
    await card('Move to cloud: SecGroup2', 'said by Megan Bowen').first().waitFor();
  });

  it('group chat: rollback of SOAGroup3 → waiting for sync → a sync cycle → taken over by AD', async () => {
    await chat('rollback SOAGroup3');
    const request = card('Roll back to AD: SOAGroup3', 'Completes at the next sync');
    await request.waitFor();
    await approve(request);
    await message(/rolled back; the next sync cycle will take it over/).waitFor();
    await pg.page.screenshot({ path: join(artifacts, '03-rollback-waiting-for-sync.png'), fullPage: true });

    const sync = await fetch(`${stack.tenantUrl}/_fake/sync`, { method: 'POST' });
    assert.equal(sync.status, 200);
    await message(/SOAGroup3.*managed in AD again/).waitFor();
    await card('Roll back to AD: SOAGroup3', 'taken over by AD').first().waitFor();
    await pg.page.screenshot({ path: join(artifacts, '04-rollback-taken-over.png'), fullPage: true });
  });

  it('group chat: readiness → the report card with its two charts, counts and the export button', async () => {
    // An open request blocks its group in the report.
    await chat('move SOAGroup3 to cloud');
    await card('Move to cloud: SOAGroup3', 'waiting for approval').first().waitFor();
    await chat('readiness');
    const report = card('Readiness report', 'Export the full list');
    await report.waitFor();
    const text = await report.innerText();
    assert.match(text, /\d+ ready · \d+ ready with warnings · 1 blocked · \d+ already cloud-managed/);
    assert.match(text, /SOAGroup3 \(an open request in the bot: R-[0-9A-Z]{6}\)/);
    // The Playground draws Adaptive Card charts: the bar chart's axis shows, and neither
    // fallback table (a FactSet each) is rendered.
    await report.getByText('Wave', { exact: true }).waitFor();
    assert.equal(await report.locator('.ac-factset').count(), 0, 'the charts, not their fallbacks');
    await shootCard(report, '07-readiness-card.png');
  });
});
