import assert from 'node:assert/strict';
import { CodedError } from '../../src/domain/errors';
import { classify } from '../../src/domain/readiness';
import type { ScanGroup } from '../../src/domain/readiness-types';
import type { Scan } from '../../src/ports/scans';
import { CardPresenter } from '../../src/views/presenter';
import { MAX_BARS, readinessCard, waveBars } from '../../src/views/readiness';
import { READINESS_CSV_HEADER, readinessCsv } from '../../src/views/readiness-csv';
import { READINESS, scanFailure } from '../../src/views/readiness-words';
import { actions, cardText } from '../support/connector';
import { parseCsv } from '../support/csv';

function g(id: string, name: string, children: string[] = [], extra: Partial<ScanGroup> = {}): ScanGroup {
  return {
    id,
    displayName: name,
    kind: 'security',
    onPremisesSyncEnabled: true,
    fromAd: true,
    extensionAttributes: [],
    provisioningErrors: 0,
    childGroupIds: children,
    ...extra,
  };
}

const GROUPS = [
  g('g1', 'FIN-Payroll', ['g2']),
  g('g2', 'FIN-Leaf', [], { provisioningErrors: 1 }),
  g('g3', 'FIN-Mail', [], { kind: 'distribution' }),
  g('g4', 'Ops', [], { onPremisesSyncEnabled: null }),
  g('g5', 'Ready one'),
  g('g6', 'Project X', [], { kind: 'unified', fromAd: false }),
];

function scan(extra: Partial<Scan> = {}): Scan {
  return {
    id: 'S-ABC123',
    version: 3,
    state: 'reading',
    requestedBy: { id: 'u1', name: 'Alex Wilber' },
    requestedAt: '2026-12-01T17:00:00.000Z',
    anchor: { reference: {}, conversationType: 'channel' },
    total: 10_000,
    groups: Array.from({ length: 1_200 }, (_, i) => g(`x${i}`, `x${i}`)),
    cloudManagedIds: [],
    tenantSyncEnabled: true,
    cursor: 'page-13',
    pagesRead: 12,
    ...extra,
  };
}

function done(prefix?: string, groups = GROUPS): Scan {
  const result = classify({
    groups,
    cloudManaged: new Set(['g4']),
    tenantSyncEnabled: true,
    openRequests: new Map([['g1', 'R-XYZ789']]),
    prefix,
  });
  return scan({ state: 'done', groups, result, finishedAt: '2026-12-01T17:04:00.000Z', ...(prefix ? { prefix } : {}) });
}

/** The card's body elements of a type, wherever they are. */
function elements(card: unknown, type: string): any[] {
  const found: any[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === type) found.push(o);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

const firstText = (card: unknown) => elements(card, 'TextBlock')[0]?.text as string;

describe('views: the readiness card', () => {
  it('shows progress with a Cancel button while reading', () => {
    const card = readinessCard(scan());
    assert.equal(firstText(card), 'Reading groups: 1,200 of 10,000');
    assert.deepEqual(actions(card), [{ verb: 'cancelReadiness', title: 'Cancel', data: { scanId: 'S-ABC123' } }]);
    assert.match(cardText(card), /Scan S-ABC123 · asked by Alex Wilber at 2026-12-01 17:00 UTC/);
    assert.match(cardText(card), /12 pages read/);
    assert.doesNotMatch(cardText(card), /Resumed/);
    assert.match(String(card.fallbackText), /^Reading groups: 1,200 of 10,000/);

    const unknownTotal = readinessCard(scan({ total: null, resumedAt: '2026-12-01T17:02:00.000Z', prefix: 'FIN-' }));
    assert.equal(firstText(unknownTotal), 'Reading groups: 1,200 so far');
    assert.match(cardText(unknownTotal), /Resumed at 2026-12-01 17:02 UTC after the bot restarted/);
    assert.match(cardText(unknownTotal), /Readiness report for groups starting with "FIN-"/);
  });

  it('summarises a finished scan with a donut and a wave chart, each with a FactSet fallback', () => {
    const card = readinessCard(done());
    assert.equal(card.version, '1.5');
    assert.ok(firstText(card).startsWith('Readiness report'));

    const [donut] = elements(card, 'Chart.Donut');
    assert.deepEqual(donut.data, [
      { legend: 'Ready', value: 1, color: 'good' },
      { legend: 'Ready with warnings', value: 1, color: 'warning' },
      { legend: 'Blocked', value: 2, color: 'attention' },
      { legend: 'Already cloud-managed', value: 1, color: 'categoricalBlue' },
    ]);
    assert.equal(donut.fallback.type, 'FactSet');
    assert.deepEqual(
      donut.fallback.facts.map((f: any) => `${f.title}: ${f.value}`),
      ['Ready: 1 group', 'Ready with warnings: 1 group', 'Blocked: 2 groups', 'Already cloud-managed: 1 group'],
    );

    const [bars] = elements(card, 'Chart.VerticalBar');
    assert.deepEqual(bars.data, [
      { x: '1', y: 3 },
      { x: '2', y: 1 },
    ]);
    assert.equal(bars.fallback.type, 'FactSet');
    assert.deepEqual(
      bars.fallback.facts.map((f: any) => `${f.title}: ${f.value}`),
      ['Wave 1: 3 groups', 'Wave 2: 1 group'],
    );

    const text = cardText(card);
    assert.match(text, /\*\*1\*\* ready · \*\*1\*\* ready with warnings · /);
    assert.match(text, / · \*\*2\*\* blocked · \*\*1\*\* already cloud/);
    assert.match(text, /5 groups synced from AD of 6 read · finished 2026-12-01 17:04 UTC/);
    assert.match(text, /\*\*Blockers\*\*: provisioning errors \(1 group\), an open request in the bot \(1 group\)\./);
    assert.match(
      text,
      /Blocked: FIN-Leaf \(provisioning errors\), FIN-Payroll \(an open request in the bot: R-XYZ789\)\./,
    );
    assert.match(text, /\*\*Warnings\*\*: /);
    assert.match(text, /Deepest nesting: 1 level of groups below FIN-Payroll\./);
    assert.match(text, /Moving bottom-up takes 2 waves/);
    assert.deepEqual(actions(card), [
      { verb: 'exportReadiness', title: 'Export the full list', data: { scanId: 'S-ABC123' } },
    ]);
    assert.match(String(card.fallbackText), /^Readiness report: 1 ready, 1 ready with warnings, 2 blocked, 1 already/);
  });

  it('caps the wave chart at its last bar, summing the later waves', () => {
    const waves = Array.from({ length: 30 }, (_, i) => i + 1);
    const bars = waveBars(waves);
    assert.equal(bars.length, MAX_BARS);
    assert.deepEqual(bars[0], { x: '1', y: 1 });
    assert.deepEqual(bars[MAX_BARS - 1], { x: `${MAX_BARS}+`, y: waves.slice(MAX_BARS - 1).reduce((a, b) => a + b) });
    assert.deepEqual(waveBars([4, 2]), [
      { x: '1', y: 4 },
      { x: '2', y: 2 },
    ]);
  });

  it('says so when the tenant has no synced groups, or a slice matches none: no charts, no export', () => {
    const none = readinessCard(
      done(undefined, [g('c', 'Cloud only', [], { fromAd: false, onPremisesSyncEnabled: null })]),
    );
    assert.match(cardText(none), /This tenant has no groups synced from AD \(1 group read\)/);
    assert.equal(elements(none, 'Chart.Donut').length, 0);
    assert.equal(elements(none, 'Chart.VerticalBar').length, 0);
    assert.deepEqual(actions(none), []);

    const slice = readinessCard(done('HR-'));
    assert.equal(firstText(slice), 'Readiness report for groups starting with "HR-"');
    assert.match(cardText(slice), /No group synced from AD has a name starting with "HR-" \(6 groups read\)/);
    assert.deepEqual(actions(slice), []);
  });

  it('stays well inside Teams’ card size for 10,000 groups, long names and a deep chain', () => {
    const long = 'N'.repeat(400);
    const many = Array.from({ length: 10_000 }, (_, i) =>
      g(`id${i}`, `${long}${i}`, i % 100 < 99 && i + 1 < 10_000 ? [`id${i + 1}`] : [], {
        provisioningErrors: i % 7 === 0 ? 1 : 0,
        kind: i % 3 === 0 ? 'mailEnabledSecurity' : 'security',
      }),
    );
    const card = readinessCard(done(undefined, many));
    const bytes = Buffer.byteLength(JSON.stringify(card));
    assert.ok(bytes < 20_000, `${bytes} bytes`);
    assert.equal(elements(card, 'Chart.VerticalBar')[0].data.length, MAX_BARS);
    assert.match(cardText(card), /and 1,424 more\./);
  });

  it('needs no wave chart when every group is already cloud-managed', () => {
    const card = readinessCard(done(undefined, [g('g4', 'Ops', [], { onPremisesSyncEnabled: null })]));
    assert.equal(elements(card, 'Chart.VerticalBar').length, 0);
    assert.equal(elements(card, 'Chart.Donut').length, 1);
    assert.match(cardText(card), /Every group here is already cloud-managed\./);
    assert.match(cardText(card), /No group is blocked\./);
  });

  it('never shows fewer groups in all than read (the tenant count may lag)', () => {
    assert.equal(firstText(readinessCard(scan({ total: 1_000 }))), 'Reading groups: 1,200 of 1,200');
  });

  it('keeps only the slice in the summary', () => {
    const card = readinessCard(done('fin-'));
    const [donut] = elements(card, 'Chart.Donut');
    assert.deepEqual(
      donut.data.map((d: any) => `${d.legend}=${d.value}`),
      ['Ready with warnings=1', 'Blocked=2'],
    );
    assert.match(cardText(card), /3 groups synced from AD of 6 read/);
  });

  it('shows the cancelled and the failed scan', () => {
    const cancelled = readinessCard(
      scan({ state: 'cancelled', cancelledBy: { id: 'u2', name: 'Megan Bowen' }, finishedAt: '2026-12-01T17:05:00Z' }),
    );
    assert.equal(firstText(cancelled), 'Readiness report cancelled');
    assert.match(cardText(cancelled), /Cancelled by Megan Bowen at 2026-12-01 17:05 UTC after reading 1,200 of 10,000/);
    assert.deepEqual(actions(cancelled), []);

    const failed = readinessCard(scan({ state: 'failed', error: 'Graph kept answering 503.' }));
    assert.equal(firstText(failed), 'Readiness report failed');
    assert.match(cardText(failed), /It stopped after reading 1,200 of 10,000 groups: Graph kept answering 503\./);
  });

  it('shows group names from the directory as text', () => {
    const hostile = [g('h', '[Approve here](https://evil.example)', [], { provisioningErrors: 1 })];
    const text = cardText(readinessCard(done(undefined, hostile)));
    assert.ok(!text.includes('](https://evil.example)'), text);
    assert.ok(text.includes(']\u200b(https://evil.example)'));
  });

  it('is what the presenter hands the services', () => {
    const presenter = new CardPresenter({} as never);
    assert.deepEqual(presenter.readinessCard(scan()), readinessCard(scan()));
  });
});

describe('views: the readiness sentences', () => {
  it('names the running scan, the approvers-only rule, and shows a slice as text', () => {
    assert.match(READINESS.alreadyRunning('S-ABC123'), /already running: S-ABC123\./);
    assert.equal(
      READINESS.approversOnly('You have no approver role.'),
      'Only approvers can run the readiness report: it reads every group of the tenant. You have no approver role.',
    );
    assert.match(READINESS.sliceEmpty('<b>FIN', 3), /starting with "&lt;b&gt;FIN" \(3 groups read\)/);
    assert.match(READINESS.noSyncedGroups(1), /\(1 group read\)/);
    assert.match(READINESS.exportReady(2, 'https://bot.example/x', 15), /2 groups .*works once, expires in 15 minutes/);
  });
});

describe('views: the readiness CSV', () => {
  it('writes one row per group with class, reasons in words, depth, wave, links and open request', () => {
    const result = done().result!;
    const [header, ...rows] = parseCsv(readinessCsv(result));
    assert.deepEqual(header, READINESS_CSV_HEADER);
    assert.deepEqual(rows, [
      [
        'g2',
        'FIN-Leaf',
        'Security group',
        'Blocked',
        'provisioning errors; parent groups still synced from AD',
        '0',
        '1',
        '0',
        '1',
        '',
      ],
      ['g3', 'FIN-Mail', 'Distribution list', 'Ready with warnings', 'mail-enabled', '0', '1', '0', '0', ''],
      ['g5', 'Ready one', 'Security group', 'Ready', '', '0', '1', '0', '0', ''],
      [
        'g1',
        'FIN-Payroll',
        'Security group',
        'Blocked',
        'an open request in the bot; child groups still managed in AD',
        '1',
        '2',
        '1',
        '0',
        'R-XYZ789',
      ],
      ['g4', 'Ops', 'Security group', 'Already cloud-managed', '', '0', '', '0', '0', ''],
    ]);
  });

  it('defuses formulas in group names', () => {
    const csv = readinessCsv(done(undefined, [g('f', '=HYPERLINK("http://x")')]).result!);
    assert.equal(parseCsv(csv)[1]![1], `'=HYPERLINK("http://x")`);
  });
});

describe('views: why a readiness scan stopped', () => {
  it("in a scan's words: the app's read refused, throttling, the edge's own message, a bug", () => {
    const again = /Nothing was changed; type "readiness" to start a new scan\.$/;
    const denied = scanFailure(new CodedError('PermissionDenied', 'Forbidden'));
    assert.match(denied, /refused the bot's own read of the groups: its app needs Group\.Read\.All/);
    assert.doesNotMatch(denied, /approver|the change\b/, 'a scan changes nothing and has no approver');
    assert.match(scanFailure(new CodedError('Throttled', 'x')), /kept throttling the scan/);
    assert.match(
      scanFailure(new CodedError('ServiceUnavailable', 'Microsoft Graph is temporarily unavailable.')),
      again,
    );
    assert.match(scanFailure(new Error('boom')), /An unexpected error stopped the scan \(see the bot logs\)/);
    for (const e of [new CodedError('Throttled', 'x'), new Error('boom')]) assert.match(scanFailure(e), again);
  });
});
