/**
 * End to end in the real Microsoft 365 Agents Playground, driven in headless Chromium:
 * `npm start`'s local stack (fake tenant, bot, Playground) on free ports.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { freePort } from '../support/ports';

const root = join(__dirname, '..', '..');
const artifacts = join(__dirname, 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const STEP = 30_000;

describe('end to end: the Agents Playground in headless Chromium', function () {
  this.timeout(180_000);
  let stack: ChildProcess;
  let output = '';
  let playgroundUrl = '';
  let tenantUrl = '';
  let context: BrowserContext;
  let page: Page;
  const work = mkdtempSync(join(tmpdir(), 'soa-e2e-'));

  before(async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `Chromium is needed at ${CHROMIUM} (Debian package "chromium"; .ci/run installs it).`,
    );
    mkdirSync(artifacts, { recursive: true });
    const [port, ftPort, pgPort] = [await freePort(), await freePort(), await freePort()];
    stack = spawn(process.execPath, ['--require', 'tsx/cjs', join(root, 'src', 'local.ts')], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        FAKE_TENANT_PORT: String(ftPort),
        PLAYGROUND_PORT: String(pgPort),
        FAKE_TENANT_SYNC_INTERVAL_MS: '0',
        STORE_FILE: join(work, 'requests.sqlite'),
        // Alex asks, Megan approves: no self-approval here.
        ALLOW_SELF_APPROVAL: 'false',
        AUDIT_POLL_FIRST_DELAY_MS: '500',
        AUDIT_POLL_MAX_DELAY_MS: '1000',
        SYNC_WATCH_INTERVAL_MS: '500',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stack.stderr!.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const lines = createInterface({ input: stack.stdout! });
    const exited = new Promise<never>((_, reject) =>
      stack.once('exit', (code) => reject(new Error(`npm start's stack exited (${code}):\n${output}`))),
    );
    const ready = (async () => {
      for await (const line of lines) {
        output += `${line}\n`;
        const ft = /Fake tenant: (https:\/\/\S+)/.exec(line);
        if (ft) tenantUrl = ft[1]!;
        const pg = /Playground:\s+(http:\/\/\S+)/.exec(line);
        if (pg) {
          playgroundUrl = pg[1]!;
          return;
        }
      }
    })();
    await Promise.race([ready, exited]);
    lines.on('line', (l) => {
      output += `${l}\n`;
    });

    context = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      viewport: { width: 1400, height: 1100 },
      env: { ...process.env, XDG_CONFIG_HOME: join(work, 'xdg-config'), XDG_CACHE_HOME: join(work, 'xdg-cache') },
    });
    // Offline machine: the Playground page asks a CDN for fonts; fail those at once.
    await context.route(/^https?:\/\/(?!localhost|127\.0\.0\.1)/, (r) => r.abort());
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(STEP);
    // The Playground has no user switcher. Clicks are sent as the user its page believes is
    // current, so this page clicks as Megan Bowen while typed messages still come from the
    // configured current user, Alex Wilber: requester and approver differ.
    await page.route('**/_internal/v1/config', async (route) => {
      const res = await route.fetch();
      const j = await res.json();
      const alex = j.config.currentUser;
      const megan = j.config.users.find((u: { name: string }) => u.name === 'Megan Bowen');
      j.config.users = j.config.users.map((u: { id: string }) => (u.id === megan.id ? alex : u));
      const swap = (ids: string[]) => ids.map((id) => (id === megan.id ? alex.id : id));
      for (const g of j.config.groupChats ?? []) g.members = swap(g.members);
      for (const t of j.config.teams ?? []) t.members = swap(t.members);
      j.config.currentUser = megan;
      await route.fulfill({ response: res, json: j });
    });
    await page.goto(playgroundUrl, { waitUntil: 'domcontentloaded' });
    await page.getByRole('treeitem', { name: 'Personal Chat' }).waitFor();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const name = (this.currentTest.title.split(':')[0] ?? 'test').replace(/\W+/g, '-');
      await page.screenshot({ path: join(artifacts, `failed-${name}.png`), fullPage: true }).catch(() => undefined);
      writeFileSync(join(artifacts, `failed-${name}.log`), output);
    }
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    if (stack && stack.exitCode === null) {
      const gone = new Promise((r) => stack.once('exit', r));
      stack.kill('SIGTERM');
      await gone;
    }
    rmSync(work, { recursive: true, force: true });
  });

  const card = (...texts: string[]) =>
    texts.reduce((loc, t) => loc.filter({ hasText: t }), page.locator('.ac-adaptiveCard'));
  const message = (re: RegExp) => page.getByRole('paragraph').filter({ hasText: re });

  /** One card, whole: the page grows to hold it for the shot, then returns to its size. */
  async function shootCard(cardLocator: ReturnType<typeof card>, name: string): Promise<void> {
    const height = (await cardLocator.boundingBox())?.height ?? 0;
    await page.setViewportSize({ width: 1400, height: Math.max(1100, Math.ceil(height) + 400) });
    await cardLocator.scrollIntoViewIfNeeded();
    await cardLocator.screenshot({ path: join(artifacts, name) });
    await page.setViewportSize({ width: 1400, height: 1100 });
  }

  async function approve(cardLocator: ReturnType<typeof card>): Promise<void> {
    await cardLocator.getByRole('checkbox').check();
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/_conversation/v1/invoke')),
      cardLocator.getByRole('button', { name: 'Approve' }).click(),
    ]);
    assert.equal(res.status(), 200);
  }

  /** A message in the group chat "Identity Admins", @mentioning the bot. */
  async function chat(text: string): Promise<void> {
    await page.getByRole('treeitem', { name: 'Identity Admins', exact: true }).click();
    await page.getByRole('textbox').click();
    await page.keyboard.type('@SOA');
    await page
      .getByRole('listbox', { name: 'Typeahead menu' })
      .getByRole('menuitem', { name: /SOA Bot/ })
      .click();
    await page.keyboard.type(` ${text}`);
    const [sent] = await Promise.all([
      page.waitForResponse(
        (r) => /\/_conversation\/v1\/conversations\/[^/]+\/messages$/.test(r.url()) && r.request().method() === 'POST',
      ),
      page.getByRole('button', { name: 'Send Message' }).click(),
    ]);
    assert.equal(sent.status(), 200);
  }

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
      await page.getByRole('treeitem', { name: 'Identity Team - Group Migrations', exact: true }).click();
      const newPost = page.getByRole('group').filter({ has: page.getByRole('button', { name: 'Post', exact: true }) });
      await newPost.getByRole('textbox').click();
      await page.keyboard.type('@SOA');
      await page
        .getByRole('listbox', { name: 'Typeahead menu' })
        .getByRole('menuitem', { name: /SOA Bot/ })
        .click();
      await page.keyboard.type(' move SecGroup1 to cloud');
      await newPost.getByRole('button', { name: 'Post', exact: true }).click();

      const request = card('Move to cloud: SecGroup1', 'Nested groups stay in AD');
      await request.waitFor();
      const folded = await request.innerText();
      assert.match(folded, /SecGroup1-Leaf → SecGroup1-Nested → SecGroup1/);
      assert.match(folded, /Prerequisites: 3 warnings · 6 pass/);
      assert.doesNotMatch(folded, /Nesting depth/, 'rows that pass are folded');
      assert.equal(folded.match(/Connect Sync 2\.5\.76\.0/g)?.length, 1, 'the acknowledgement is said once');
      await shootCard(request, '01-approval-card-folded.png');
      await page.screenshot({ path: join(artifacts, '01-channel-approval-card.png'), fullPage: true });
      await request.getByRole('button', { name: 'Show all 9 checks' }).click();
      await request.getByText('Nesting depth').waitFor();
      await request.getByRole('button', { name: 'Hide the passing checks' }).click();
      await request.getByText('Nesting depth').waitFor({ state: 'hidden' });

      await approve(request);
      const confirmation = message(/Audit log:.*Change Source of Authority from AD to cloud.*initiated by Megan Bowen/);
      await confirmation.waitFor();
      await card('Move to cloud: SecGroup1', 'Completed').first().waitFor();
      await confirmation.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(artifacts, '02-channel-audit-confirmed.png'), fullPage: true });
    },
  );

  /** A new post in the channel, @mentioning the bot. */
  async function post(text: string): Promise<void> {
    await page.getByRole('treeitem', { name: 'Identity Team - Group Migrations', exact: true }).click();
    const newPost = page.getByRole('group').filter({ has: page.getByRole('button', { name: 'Post', exact: true }) });
    await newPost.getByRole('textbox').click();
    await page.keyboard.type('@SOA');
    await page
      .getByRole('listbox', { name: 'Typeahead menu' })
      .getByRole('menuitem', { name: /SOA Bot/ })
      .click();
    await page.keyboard.type(` ${text}`);
    await newPost.getByRole('button', { name: 'Post', exact: true }).click();
  }

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
      await page.screenshot({ path: join(artifacts, '05-channel-plan-card.png'), fullPage: true });

      await approve(plan);
      await message(
        new RegExp(
          String.raw`Plan R-\w+ \(the tree under SecGroup1-Nested\) is complete: 2 groups are ` +
            String.raw`cloud-managed; 2 of 2 confirmed in the audit log`,
        ),
      ).waitFor();
      await card('Group SOA requests in this conversation', 'Finished in the last 24 hours').first().waitFor();
      await board.first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(artifacts, '06-channel-board-after-plan.png'), fullPage: true });
    },
  );

  it('group chat: rollback of SOAGroup3 → waiting for sync → a sync cycle → taken over by AD', async () => {
    await chat('rollback SOAGroup3');
    const request = card('Roll back to AD: SOAGroup3', 'Completes at the next sync');
    await request.waitFor();
    await approve(request);
    await message(/rolled back; the next sync cycle will take it over/).waitFor();
    await page.screenshot({ path: join(artifacts, '03-rollback-waiting-for-sync.png'), fullPage: true });

    const sync = await fetch(`${tenantUrl}/_fake/sync`, { method: 'POST' });
    assert.equal(sync.status, 200);
    await message(/SOAGroup3.*managed in AD again/).waitFor();
    await card('Roll back to AD: SOAGroup3', 'taken over by AD').first().waitFor();
    await page.screenshot({ path: join(artifacts, '04-rollback-taken-over.png'), fullPage: true });
  });
});
