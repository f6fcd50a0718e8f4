/**
 * The end-to-end tests' stage: `npm start`'s local stack (fake tenant, bot, Agents Playground)
 * on free ports with a test's settings, headless Chromium, and pages of the real Playground
 * that click as a chosen person, with the helpers that post, find cards and approve.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { RequestLogEntry } from '../../src/fake-tenant/graph/request-log';
import { freePort } from './ports';

const root = join(__dirname, '..', '..');
/** Screenshots and the logs of failed tests (git-ignored). */
export const artifacts = join(root, 'test', 'e2e', 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const STEP = 30_000;
const VIEWPORT = { width: 1400, height: 1100 };
/** The Playground's configured current user: every typed message comes from this person. */
export const TYPIST = 'Alex Wilber';

interface PlaygroundUser {
  id: string;
  name: string;
}

/** One Playground page, clicking as one person. */
export class PlaygroundPage {
  constructor(readonly page: Page) {}

  /** The adaptive cards showing every one of these texts. */
  card(...texts: string[]): Locator {
    return texts.reduce((loc, t) => loc.filter({ hasText: t }), this.page.locator('.ac-adaptiveCard'));
  }

  message(re: RegExp): Locator {
    return this.page.getByRole('paragraph').filter({ hasText: re });
  }

  /** One card, whole: the page grows to hold it for the shot, then returns to its size. */
  async shootCard(card: Locator, name: string): Promise<void> {
    const height = (await card.boundingBox())?.height ?? 0;
    await this.page.setViewportSize({
      width: VIEWPORT.width,
      height: Math.max(VIEWPORT.height, Math.ceil(height) + 400),
    });
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: join(artifacts, name) });
    await this.page.setViewportSize(VIEWPORT);
  }

  /**
   * Ticks the card's acknowledgement (and, if asked, "still needed in AD") and clicks Approve;
   * the Playground must accept the click.
   */
  async approve(card: Locator, opts: { stillNeededInAd?: boolean } = {}): Promise<void> {
    // The acknowledgement is the card's first tick box (a move's card also asks "still needed in AD").
    await card.getByRole('checkbox').first().check();
    if (opts.stillNeededInAd) await card.getByRole('checkbox', { name: /^Still needed in AD/ }).check();
    const [res] = await Promise.all([
      this.page.waitForResponse((r) => r.url().endsWith('/_conversation/v1/invoke')),
      card.getByRole('button', { name: 'Approve' }).click(),
    ]);
    assert.equal(res.status(), 200);
  }

  /** Types "@SOA Bot <text>" into the focused compose box. */
  private async mentionAndType(text: string): Promise<void> {
    await this.page.keyboard.type('@SOA');
    await this.page
      .getByRole('listbox', { name: 'Typeahead menu' })
      .getByRole('menuitem', { name: /SOA Bot/ })
      .click();
    await this.page.keyboard.type(` ${text}`);
  }

  /** Opens the group chat "Identity Admins". */
  async openGroupChat(): Promise<void> {
    await this.page.getByRole('treeitem', { name: 'Identity Admins', exact: true }).click();
  }

  /** A message in the group chat "Identity Admins", @mentioning the bot. */
  async chat(text: string): Promise<void> {
    await this.openGroupChat();
    await this.page.getByRole('textbox').click();
    await this.mentionAndType(text);
    const [sent] = await Promise.all([
      this.page.waitForResponse(
        (r) => /\/_conversation\/v1\/conversations\/[^/]+\/messages$/.test(r.url()) && r.request().method() === 'POST',
      ),
      this.page.getByRole('button', { name: 'Send Message' }).click(),
    ]);
    assert.equal(sent.status(), 200);
  }

  /** Opens the channel "Group Migrations" of the team "Identity Team". */
  async openChannel(): Promise<void> {
    await this.page.getByRole('treeitem', { name: 'Identity Team - Group Migrations', exact: true }).click();
  }

  /** A new post in the channel, @mentioning the bot. */
  async post(text: string): Promise<void> {
    await this.openChannel();
    const newPost = this.page
      .getByRole('group')
      .filter({ has: this.page.getByRole('button', { name: 'Post', exact: true }) });
    await newPost.getByRole('textbox').click();
    await this.mentionAndType(text);
    await newPost.getByRole('button', { name: 'Post', exact: true }).click();
  }
}

export interface PlaygroundStack {
  tenantUrl: string;
  /** What the stack printed so far. */
  output(): string;
  /**
   * A new page of the Playground that clicks as `person` (a name from .m365agentsplayground.yml).
   * The Playground has no user switcher: clicks are sent as the user its page believes is
   * current, so the page's copy of the Playground's configuration is rewritten to make that
   * person current. Typed messages still come from the configured current user, TYPIST.
   */
  openAs(person: string): Promise<PlaygroundPage>;
  /** The Graph calls the fake tenant received. */
  graphRequests(): Promise<RequestLogEntry[]>;
  /** After a failed test: a screenshot of each page and the stack's output, named after the test. */
  recordFailure(title: string, pages: PlaygroundPage[]): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `npm start`'s stack (src/local.ts) on free ports with `env` over the defaults, and Chromium. */
export async function startPlaygroundStack(env: Record<string, string>): Promise<PlaygroundStack> {
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium is needed at ${CHROMIUM} (Debian package "chromium"; .ci/run installs it).`,
  );
  mkdirSync(artifacts, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'soa-e2e-'));
  const [port, ftPort, pgPort] = [await freePort(), await freePort(), await freePort()];
  const stack = spawn(process.execPath, ['--require', 'tsx/cjs', join(root, 'src', 'local.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      FAKE_TENANT_PORT: String(ftPort),
      PLAYGROUND_PORT: String(pgPort),
      FAKE_TENANT_SYNC_INTERVAL_MS: '0',
      STORE_FILE: join(work, 'requests.sqlite'),
      AUDIT_POLL_FIRST_DELAY_MS: '500',
      AUDIT_POLL_MAX_DELAY_MS: '1000',
      SYNC_WATCH_INTERVAL_MS: '500',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  stack.stderr!.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const lines = createInterface({ input: stack.stdout! });
  const exited = new Promise<never>((_, reject) =>
    stack.once('exit', (code) => reject(new Error(`npm start's stack exited (${code}):\n${output}`))),
  );
  let tenantUrl = '';
  let playgroundUrl = '';
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
  let context: BrowserContext | undefined;
  const stop = async () => {
    await context?.close().catch(() => undefined);
    if (stack.exitCode === null && stack.signalCode === null) {
      const gone = new Promise((r) => stack.once('exit', r));
      stack.kill('SIGTERM');
      await gone;
    }
    rmSync(work, { recursive: true, force: true });
  };
  try {
    await Promise.race([ready, exited]);
    lines.on('line', (l) => {
      output += `${l}\n`;
    });
    context = await launchChromium(work);
  } catch (e) {
    await stop();
    throw e;
  }
  const browser = context;
  let first = true;

  return {
    tenantUrl,
    output: () => output,
    async openAs(person) {
      // The persistent context opens with one blank page: use it for the first person.
      const page = (first && browser.pages()[0]) || (await browser.newPage());
      first = false;
      page.setDefaultTimeout(STEP);
      await page.route('**/_internal/v1/config', async (route) => {
        const res = await route.fetch();
        const j = await res.json();
        await route.fulfill({ response: res, json: clickingAs(j, person) });
      });
      await page.goto(playgroundUrl, { waitUntil: 'domcontentloaded' });
      await page.getByRole('treeitem', { name: 'Personal Chat' }).waitFor();
      return new PlaygroundPage(page);
    },
    async graphRequests() {
      const res = await fetch(`${tenantUrl}/_fake/requests`);
      assert.equal(res.status, 200);
      return (await res.json()) as RequestLogEntry[];
    },
    async recordFailure(title, pages) {
      const name = (title.split(':')[0] ?? 'test').replace(/\W+/g, '-');
      for (const [i, p] of pages.entries()) {
        const suffix = pages.length > 1 ? `-${i + 1}` : '';
        await p.page
          .screenshot({ path: join(artifacts, `failed-${name}${suffix}.png`), fullPage: true })
          .catch(() => undefined);
      }
      writeFileSync(join(artifacts, `failed-${name}.log`), output);
    },
    stop,
  };
}

/** The Playground's configuration answer with `person` as its current user, in the typist's place. */
function clickingAs(
  j: { config: { currentUser: PlaygroundUser; users: PlaygroundUser[]; groupChats?: Members[]; teams?: Members[] } },
  person: string,
) {
  const typist = j.config.currentUser;
  if (person === typist.name) return j;
  const other = j.config.users.find((u) => u.name === person);
  assert.ok(other, `${person} is not one of the Playground's people (.m365agentsplayground.yml)`);
  j.config.users = j.config.users.map((u) => (u.id === other.id ? typist : u));
  const swap = (ids: string[]) => ids.map((id) => (id === other.id ? typist.id : id));
  for (const g of j.config.groupChats ?? []) g.members = swap(g.members);
  for (const t of j.config.teams ?? []) t.members = swap(t.members);
  j.config.currentUser = other;
  return j;
}

interface Members {
  members: string[];
}

async function launchChromium(work: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(join(work, 'profile'), {
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
    viewport: VIEWPORT,
    env: { ...process.env, XDG_CONFIG_HOME: join(work, 'xdg-config'), XDG_CACHE_HOME: join(work, 'xdg-cache') },
  });
  // Offline machine: the Playground page asks a CDN for fonts; fail those at once.
  await context.route(/^https?:\/\/(?!localhost|127\.0\.0\.1)/, (r) => r.abort());
  return context;
}
