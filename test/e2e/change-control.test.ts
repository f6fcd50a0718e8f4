/**
 * End to end in the real Agents Playground: change control. Its own local stack requires two
 * approvals and a change ticket (linked to the change system), and forbids self-approval.
 *
 * Approvers: Alex Wilber (who types every message) and Megan Bowen hold Hybrid Identity
 * Administrator; so does Isaiah Langer, but his sign-in needs MFA, which a headless Playground
 * page cannot pass. So APPROVER_ROLES here adds Groups Administrator, Adele Vance's role (one the
 * fake tenant, like Entra, accepts for the switch): Megan approves first, Adele completes it.
 *
 * The two approvers click on two pages. The Playground pushes the bot's messages and card
 * updates to every open page, but a page shows a channel post's thread only if it made the post
 * itself; so the request with two approvals is made in the group chat, which both pages show.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { SeedGroup } from '../../src/fake-tenant/model';
import { GROUP, USER } from '../../src/fake-tenant/seed';
import { artifacts, startPlaygroundStack, type PlaygroundPage, type PlaygroundStack } from '../support/playground';

const TICKET = 'CHG0012345';
const TICKET_LINK = `https://contoso.service-now.com/change_request.do?number=${TICKET}`;
const REASON = 'the payroll app now reads SecGroup2 from Entra';

describe('end to end: two approvals and a ticket in the Agents Playground', function () {
  this.timeout(120_000);
  let stack: PlaygroundStack;
  let megan: PlaygroundPage;
  let adele: PlaygroundPage;

  before(async () => {
    stack = await startPlaygroundStack({
      APPROVALS_REQUIRED: '2',
      TICKET_PATTERN: 'CHG[0-9]{7}',
      TICKET_URL_TEMPLATE: 'https://contoso.service-now.com/change_request.do?number={ticket}',
      ALLOW_SELF_APPROVAL: 'false',
      APPROVER_ROLES: 'Hybrid Identity Administrator,Global Administrator,Groups Administrator',
    });
    megan = await stack.openAs('Megan Bowen');
    // A second page, clicking as Adele Vance. The Playground keeps no history for a page that
    // opens later: it pushes each message and card update to the pages open at the time.
    adele = await stack.openAs('Adele Vance');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && adele)
      await stack.recordFailure(this.currentTest.title, [megan, adele]);
  });

  after(async () => {
    await stack?.stop();
  });

  const patches = async () =>
    (await stack.graphRequests()).filter(
      (e) => e.method === 'PATCH' && e.path.endsWith(`/groups/${GROUP.secGroup2}/onPremisesSyncBehavior`),
    );
  const secGroup2 = async () => {
    const res = await fetch(`${stack.tenantUrl}/_fake/groups/${GROUP.secGroup2}`);
    assert.equal(res.status, 200);
    return (await res.json()) as SeedGroup;
  };

  it('no ticket: "move SecGroup2 to cloud because …" is refused with the pattern to use, and no card', async () => {
    await megan.post(`move SecGroup2 to cloud because ${REASON}`);
    await megan
      .message(/Requests here need a change ticket matching CHG\[0-9\]\{7\}: add "for <ticket>" to the request/)
      .waitFor();
    await megan
      .message(/Nothing was requested\./)
      .first()
      .waitFor();
    assert.equal(await megan.card('Move to cloud: SecGroup2').count(), 0, 'no approval card');
    assert.deepEqual(await patches(), []);
  });

  it(
    'two approvals: "move SecGroup2 to cloud for CHG0012345 because …" → card with the ticket link ' +
      'and 0 of 2 → Megan approves: 1 of 2, nothing switched → Adele approves → switched with her sign-in',
    async () => {
      await megan.chat(`move SecGroup2 to cloud for ${TICKET} because ${REASON}`);
      const request = megan.card('Move to cloud: SecGroup2', TICKET);
      await request.waitFor();
      await request.getByText('0 of 2 approvals').waitFor();
      const link = request.getByRole('link', { name: TICKET });
      assert.equal(await link.getAttribute('href'), TICKET_LINK, 'the ticket links to the change system');
      assert.match(await request.innerText(), new RegExp(REASON));

      await megan.approve(request);
      await megan
        .message(/Megan Bowen approved request R-\w+ for SecGroup2 \(1 of 2\); 1 more approval needed/)
        .waitFor();
      await request.getByText(/1 of 2 approvals: Megan Bowen \(/).waitFor();
      const waiting = await request.innerText();
      assert.match(waiting, /waiting for approval \(1 of 2\)/);
      assert.match(waiting, /not Megan Bowen \(approved already: a person counts once\)/);
      assert.deepEqual(await patches(), [], 'one approval of two switches nothing');
      assert.equal((await secGroup2()).isCloudManaged ?? false, false);
      await megan.shootCard(request, '10-two-approvals-first.png');

      // Adele's page shows the same card, as updated after Megan's approval.
      await adele.openGroupChat();
      const forAdele = adele.card('Move to cloud: SecGroup2', '1 of 2 approvals');
      await forAdele.waitFor();
      await adele.approve(forAdele);
      await adele
        .message(
          /Request R-\w+ for SecGroup2 has all its approvals \(Megan Bowen, Adele Vance\); running it with Adele/,
        )
        .waitFor();
      const confirmation = adele.message(
        /Audit log:.*Change Source of Authority from AD to cloud.*initiated by Adele Vance/,
      );
      await confirmation.waitFor();
      const done = adele.card('Move to cloud: SecGroup2', 'Completed', TICKET);
      await done.first().waitFor();
      const doneText = await done.first().innerText();
      assert.match(doneText, /2 of 2 approvals: Megan Bowen \(.*\), Adele Vance \(/);
      assert.match(doneText, /Adele Vance's sign-in \(the approval that completed the quorum\)/);

      const patched = await patches();
      assert.equal(patched.length, 1, 'exactly one switch');
      assert.equal(patched[0]!.userId, USER.adele, "the switch ran with Adele's token");
      assert.equal((await secGroup2()).isCloudManaged, true);
      await adele.shootCard(done.first(), '11-two-approvals-completed.png');
      await confirmation.scrollIntoViewIfNeeded();
      await adele.page.screenshot({ path: join(artifacts, '12-two-approvals-thread.png'), fullPage: true });
    },
  );
});
