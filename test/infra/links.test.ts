import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { linkKey, signLink, verifyLink } from '../../src/infra/links';
import { startHttpServer, type Download, type HttpServer } from '../../src/server/http';
import { toCsv, UTF8_BOM } from '../../src/domain/csv';

const KEY = linkKey('local-only test secret, not a real one');
const NOW = new Date('2026-03-10T12:00:00.000Z');
const IN_15_MIN = new Date(NOW.getTime() + 15 * 60_000);
const PAYLOAD = {
  from: '2026-03-01T00:00:00.000Z',
  to: '2026-04-01T00:00:00.000Z',
  by: '5d7e9f10-2a3b-4c4d-8e5f-6a7b8c9d0e1f',
};

/** Replaces one field of a signed query string. */
function withField(query: string, name: string, value: string): string {
  const q = new URLSearchParams(query);
  q.set(name, value);
  return q.toString();
}

/** Another base64url character in place of the first one: the first MAC byte changes. */
function flipFirst(s: string): string {
  return `${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`;
}

/**
 * The last character of a 32-byte MAC in base64url holds 2 unused bits; A and B differ only
 * there, so the decoded bytes are the same but the spelling is not the one issued.
 */
function flipLast(s: string): string {
  return `${s.slice(0, -1)}${s.endsWith('A') ? 'B' : 'A'}`;
}

describe('infra: signed, expiring download links', () => {
  it('derives the same 32-byte key from the same material, a different one otherwise', () => {
    assert.equal(KEY.length, 32);
    assert.deepEqual(linkKey('local-only test secret, not a real one'), KEY);
    assert.notDeepEqual(linkKey('another secret'), KEY);
    assert.throws(() => linkKey(''));
  });

  it('a valid link verifies and gives back its payload, from the raw or the parsed query', () => {
    const query = signLink(KEY, PAYLOAD, IN_15_MIN);
    assert.match(query, /^p=[A-Za-z0-9_-]+&exp=\d+&sig=[A-Za-z0-9_-]{43}$/);
    assert.equal(new URLSearchParams(query).get('exp'), String(IN_15_MIN.getTime() / 1000));
    assert.deepEqual(verifyLink(KEY, query, NOW), { ok: true, payload: PAYLOAD });
    assert.deepEqual(verifyLink(KEY, `?${query}`, NOW), { ok: true, payload: PAYLOAD });
    assert.deepEqual(verifyLink(KEY, Object.fromEntries(new URLSearchParams(query)), NOW), {
      ok: true,
      payload: PAYLOAD,
    });
    // Another instance with the same configuration derives the same key.
    assert.equal(verifyLink(linkKey('local-only test secret, not a real one'), query, NOW).ok, true);
  });

  it('a tampered payload or expiry is a bad signature', () => {
    const query = signLink(KEY, PAYLOAD, IN_15_MIN);
    const forged = Buffer.from(JSON.stringify({ ...PAYLOAD, from: '2020-01-01T00:00:00.000Z' })).toString('base64url');
    assert.deepEqual(verifyLink(KEY, withField(query, 'p', forged), NOW), { ok: false, reason: 'bad-signature' });
    const later = String(Number(new URLSearchParams(query).get('exp')) + 86_400);
    assert.deepEqual(verifyLink(KEY, withField(query, 'exp', later), NOW), { ok: false, reason: 'bad-signature' });
  });

  it('a tampered signature, or one made with another key, is a bad signature', () => {
    const query = signLink(KEY, PAYLOAD, IN_15_MIN);
    const sig = new URLSearchParams(query).get('sig')!;
    assert.deepEqual(verifyLink(KEY, withField(query, 'sig', flipFirst(sig)), NOW), {
      ok: false,
      reason: 'bad-signature',
    });
    assert.deepEqual(
      verifyLink(KEY, withField(query, 'sig', flipLast(sig)), NOW),
      { ok: false, reason: 'bad-signature' },
      'a non-canonical spelling',
    );
    assert.deepEqual(
      verifyLink(KEY, withField(query, 'sig', sig.slice(0, 20)), NOW),
      { ok: false, reason: 'bad-signature' },
      'a short signature',
    );
    assert.deepEqual(verifyLink(linkKey('another secret'), query, NOW), { ok: false, reason: 'bad-signature' });
  });

  it('an expired link is refused at its expiry second and after', () => {
    const query = signLink(KEY, PAYLOAD, IN_15_MIN);
    assert.equal(verifyLink(KEY, query, new Date(IN_15_MIN.getTime() - 1)).ok, true);
    assert.deepEqual(verifyLink(KEY, query, IN_15_MIN), { ok: false, reason: 'expired' });
    assert.deepEqual(verifyLink(KEY, query, new Date(IN_15_MIN.getTime() + 86_400_000)), {
      ok: false,
      reason: 'expired',
    });
    // An expired link with a forged signature is reported as forged, not as expired.
    const sig = new URLSearchParams(query).get('sig')!;
    assert.deepEqual(verifyLink(KEY, withField(query, 'sig', flipFirst(sig)), IN_15_MIN), {
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('a malformed query is refused as malformed', () => {
    const query = signLink(KEY, PAYLOAD, IN_15_MIN);
    const q = Object.fromEntries(new URLSearchParams(query));
    for (const bad of [
      '',
      'p=&exp=&sig=',
      `p=${q.p}&exp=${q.exp}`,
      `exp=${q.exp}&sig=${q.sig}`,
      `p=${q.p}&sig=${q.sig}`,
      withField(query, 'exp', 'tomorrow'),
      withField(query, 'exp', '-5'),
      withField(query, 'p', 'not base64url!'),
      withField(query, 'sig', 'a+b/c='),
      'garbage',
    ]) {
      assert.deepEqual(verifyLink(KEY, bad, NOW), { ok: false, reason: 'malformed' }, bad);
    }
    assert.deepEqual(verifyLink(KEY, {}, NOW), { ok: false, reason: 'malformed' });
  });

  it('a validly signed payload that is not an object of strings is malformed', () => {
    // Only reachable with the key; checked so a caller can trust the payload's shape.
    const p = Buffer.from(JSON.stringify(['a'])).toString('base64url');
    const exp = String(IN_15_MIN.getTime() / 1000);
    const sig = createHmac('sha256', KEY).update(`${p}.${exp}`).digest('base64url');
    assert.deepEqual(verifyLink(KEY, `p=${p}&exp=${exp}&sig=${sig}`, NOW), { ok: false, reason: 'malformed' });
  });
});

describe('server: the export link opens a page (GET) and downloads verbatim (POST of its form)', () => {
  let server: HttpServer;
  const body = toCsv(
    ['request id', 'group name', 'result detail'],
    [
      ['R-7KQ2MX', 'FIN-Payroll, EMEA', 'said "no"\r\nthen yes'],
      ['R-PL4N3T', '=Sales-EU', -1],
    ],
  );
  const seen: Array<{ step: string; fields: Record<string, string> }> = [];

  /** A stand-in for the export links: the transport is under test here, not the links. */
  const route =
    (step: 'page' | 'download') =>
    async (fields: Record<string, string>): Promise<Download> => {
      seen.push({ step, fields });
      const check = verifyLink(KEY, fields, new Date());
      if (!check.ok)
        return {
          status: check.reason === 'expired' ? 410 : 403,
          body: `Link ${check.reason}.`,
          contentType: 'text/plain; charset=utf-8',
        };
      if (check.payload.fail) throw new Error('boom');
      if (step === 'page') return { status: 200, body: '<p>page</p>', contentType: 'text/html; charset=utf-8' };
      return {
        status: 200,
        body,
        contentType: 'text/csv; charset=utf-8',
        filename: check.payload.name ?? 'export.csv',
      };
    };

  const post = (query: string) =>
    fetch(`${server.url}/api/exports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: query,
    });

  before(async () => {
    // The routes use neither the adapter nor the bot application.
    server = await startHttpServer({} as never, {} as never, 0, '127.0.0.1', undefined, undefined, {
      exports: { page: route('page'), download: route('download') },
      pages: { '/privacy': '<p>privacy</p>' },
    });
  });
  after(async () => {
    await server.close();
  });

  it('GET hands the query to the page; POST hands the form fields to the download', async () => {
    const query = signLink(KEY, { name: 'soa-export-2026-03.csv' }, new Date(Date.now() + 60_000));
    const page = await fetch(`${server.url}/api/exports?${query}`);
    assert.equal(page.status, 200);
    assert.equal(await page.text(), '<p>page</p>');
    assert.deepEqual(seen.at(-1), { step: 'page', fields: Object.fromEntries(new URLSearchParams(query)) });
    await post(query);
    assert.deepEqual(seen.at(-1), { step: 'download', fields: Object.fromEntries(new URLSearchParams(query)) });
    // Browsers add a charset to the form's type; a repeated field keeps its first value.
    await fetch(`${server.url}/api/exports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      body: `${query}&sig=second`,
    });
    assert.deepEqual(seen.at(-1), { step: 'download', fields: Object.fromEntries(new URLSearchParams(query)) });
  });

  it('the download is the CSV byte for byte, as an attachment that is not cached', async () => {
    const query = signLink(KEY, { name: 'soa-export-2026-03.csv' }, new Date(Date.now() + 60_000));
    const res = await post(query);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="soa-export-2026-03.csv"');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.deepEqual(bytes, Buffer.from(body, 'utf8'), 'no JSON quoting, no re-encoding');
    assert.ok(bytes.toString('utf8').startsWith(UTF8_BOM));
  });

  it('pages and downloads pass no referrer, load nothing, cannot be framed and are not cached', async () => {
    const query = signLink(KEY, { name: 'x.csv' }, new Date(Date.now() + 60_000));
    for (const res of [
      await fetch(`${server.url}/api/exports?${query}`),
      await post(query),
      await fetch(`${server.url}/privacy`),
    ]) {
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'.*frame-ancestors 'none'/);
    }
    const privacy = await fetch(`${server.url}/privacy`);
    assert.equal(privacy.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(await privacy.text(), '<p>privacy</p>');
  });

  it('refusals are plain text without a filename; a quote in a filename cannot break the header', async () => {
    const expired = signLink(KEY, {}, new Date(Date.now() - 1000));
    const res = await post(expired);
    assert.equal(res.status, 410);
    assert.equal(await res.text(), 'Link expired.');
    assert.equal(res.headers.get('content-disposition'), null);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const link = signLink(KEY, { name: 'mine.csv' }, new Date(Date.now() + 60_000));
    const forged = await fetch(`${server.url}/api/exports?${withField(link, 'p', 'e30')}`);
    assert.equal(forged.status, 403);
    assert.equal(await forged.text(), 'Link bad-signature.');
    const quoted = await post(signLink(KEY, { name: 'a"; x=\\y\r\n.csv' }, new Date(Date.now() + 60_000)));
    assert.equal(quoted.headers.get('content-disposition'), 'attachment; filename="a_; x=_y__.csv"');
    const empty = await fetch(`${server.url}/api/exports`, { method: 'POST', body: JSON.stringify({ p: 'x' }) });
    assert.equal(empty.status, 403, 'only a form body carries fields');
    assert.deepEqual(seen.at(-1), { step: 'download', fields: {} });
  });

  it('a failing handler is a plain 500', async () => {
    const res = await post(signLink(KEY, { fail: 'yes' }, new Date(Date.now() + 60_000)));
    assert.equal(res.status, 500);
    assert.equal(await res.text(), 'The export could not be produced.');
  });

  it('existing routes are unchanged, and without handlers there is no export route and no page', async () => {
    assert.deepEqual(await (await fetch(`${server.url}/healthz`)).json(), { status: 'ok' });
    const plain = await startHttpServer({} as never, {} as never, 0, '127.0.0.1');
    try {
      assert.equal((await fetch(`${plain.url}/readyz`)).status, 200);
      assert.equal((await fetch(`${plain.url}/api/exports?p=a&exp=1&sig=b`)).status, 404);
      assert.equal((await fetch(`${plain.url}/privacy`)).status, 404);
    } finally {
      await plain.close();
    }
  });
});
